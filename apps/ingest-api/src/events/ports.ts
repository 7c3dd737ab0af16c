/** The intake's registry port lives beside the intake, in libs/registry. */
export type { ResolvedSchema, SchemaResolver } from '@tributary/registry';

export interface AuthenticatedSource {
  sourceId: string;
  sourceName: string;
  keyId: string;
}

/** Port: API keys, as far as intake needs them. */
export interface KeyAuthenticator {
  authenticate(presentedKey: string): Promise<AuthenticatedSource | undefined>;
}

export const SCHEMA_RESOLVER = Symbol('SCHEMA_RESOLVER');
export const KEY_AUTHENTICATOR = Symbol('KEY_AUTHENTICATOR');
