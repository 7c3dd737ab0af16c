export { API_KEY_PREFIX, type ApiKeyParts, formatApiKey, parseApiKey } from './keys/api-key-format';
export {
  type ApiKeySummary,
  ApiKeys,
  type ApiKeysOptions,
  type AuthenticatedKey,
  type CreatedApiKey,
} from './keys/api-keys';
export { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from './keys/secret-hash';
export { RegistryError, RegistryErrorCode } from './registry-error';
export { backwardIncompatibilities } from './schemas/compatibility';
export { type CompatibilityRule, compatibilityRules } from './schemas/compatibility-rules';
export { type PropertyError, PROPERTIES_POINTER } from './schemas/property-errors';
export { SCHEMA_DIALECT } from './schemas/schema-compiler';
export {
  type RegisterOptions,
  type ResolvedSchema,
  SchemaRegistry,
  type SchemaRegistryOptions,
  type SchemaVersionSummary,
} from './schemas/schema-registry';
export { Sources, type SourceSummary } from './sources/sources';
export { ADMIN_USAGE, type AdminCommand, parseAdminArgs, UsageError } from './cli/admin-args';
export { type AdminCliContext, AdminExitCode, runAdminCli } from './cli/admin-cli';
export {
  type CreatedReadToken,
  READ_TOKEN_PREFIX,
  ReadTokens,
  type ReadTokenSummary,
} from './keys/read-tokens';
export {
  type Intake,
  type IntakeContext,
  type RawItem,
  type SchemaResolver,
  takeIn,
} from './intake/event-intake';
