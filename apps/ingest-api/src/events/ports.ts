/** A compiled schema of one event type version (the registry's answer). */
export interface ResolvedSchema {
  type: string;
  version: number;
  /** Problems with `properties`, pointers relative to the event (`/properties/amount`). */
  validate(properties: unknown): Array<{ pointer: string; message: string }>;
}

/** Port: the schema registry, as far as intake needs it. */
export interface SchemaResolver {
  /** The given version, or the latest without one; undefined for an unknown type or version. */
  resolve(type: string, version?: number): Promise<ResolvedSchema | undefined>;
}

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
