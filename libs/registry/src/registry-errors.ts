import { EVENT_TYPE_NAME_MAX_LENGTH } from '@tributary/metadata';
import { RegistryError, RegistryErrorCode } from './registry-error';

/** The registry's refusals, worded once so the CLI and the API say the same thing. */
export const registryErrors = {
  invalidSourceName: (name: string) =>
    new RegistryError(
      RegistryErrorCode.INVALID_NAME,
      `Invalid source name ${JSON.stringify(name)}: expected 1 to 63 characters of a-z, 0-9, ".", "_" and "-", starting with a letter or digit (e.g. checkout-web)`,
    ),
  invalidEventType: (name: string) =>
    new RegistryError(
      RegistryErrorCode.INVALID_NAME,
      `Invalid event type ${JSON.stringify(name)}: expected dot-separated segments of a-z, 0-9 and "_", each starting with a letter, at most ${EVENT_TYPE_NAME_MAX_LENGTH} characters (e.g. order.placed)`,
    ),
  sourceExists: (name: string) =>
    new RegistryError(RegistryErrorCode.SOURCE_EXISTS, `Source "${name}" already exists`),
  unknownSource: (name: string) =>
    new RegistryError(RegistryErrorCode.UNKNOWN_SOURCE, `Unknown source ${JSON.stringify(name)}`),
  unknownKey: (keyId: string) =>
    new RegistryError(RegistryErrorCode.UNKNOWN_KEY, `Unknown API key id ${JSON.stringify(keyId)}`),
  keyRevoked: (keyId: string, revokedAt: Date) =>
    new RegistryError(
      RegistryErrorCode.KEY_REVOKED,
      `API key ${keyId} was revoked at ${revokedAt.toISOString()}; create a new key for its source instead of rotating it`,
    ),
  invalidSchema: (type: string, reasons: readonly string[]) =>
    new RegistryError(
      RegistryErrorCode.INVALID_SCHEMA,
      `Invalid JSON Schema for ${type} (${count(reasons.length, 'problem')}):`,
      reasons,
    ),
  incompatibleSchema: (type: string, latestVersion: number, reasons: readonly string[]) =>
    new RegistryError(
      RegistryErrorCode.INCOMPATIBLE_SCHEMA,
      `Schema for ${type} is not backward compatible with version ${latestVersion} (${count(reasons.length, 'reason')}):`,
      reasons,
    ),
};

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
