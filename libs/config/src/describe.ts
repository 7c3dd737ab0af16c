import { settings } from './schema';
import { flattenSettings, type Profile } from './setting';
import { secretFileKey } from './sources';
import { isExternalKey, ownKeys } from './unknown-keys';

/** One setting as documentation sees it; also the list a deployment's keys are checked against. */
export interface SettingDescription {
  /** Env key, e.g. `TRIBUTARY_KAFKA_BROKERS`. */
  readonly key: string;
  /** Where the value lands in the config and in the JSON config file, e.g. `kafka.brokers`. */
  readonly path: string;
  readonly group: string;
  readonly description: string;
  /** The accepted form, as error messages word it. */
  readonly expected: string;
  /** Default per profile in env form; `undefined` means no default. */
  readonly defaults: Readonly<Record<Profile, string | undefined>>;
  readonly requiredIn: readonly Profile[];
  readonly sensitive: boolean;
  /** For secrets: the key that names a file holding the value instead. */
  readonly fileKey?: string;
}

/** Every setting in schema order, for generated docs and deployment checks. */
export function describeSettings(): SettingDescription[] {
  return flattenSettings(settings).map(({ path, definition }) => ({
    key: definition.key,
    path,
    group: definition.group,
    description: definition.description,
    expected: definition.parser.expected,
    defaults: definition.defaults,
    requiredIn: definition.requiredIn,
    sensitive: definition.sensitive,
    ...(definition.sensitive ? { fileKey: secretFileKey(definition.key) } : {}),
  }));
}

/**
 * Whether a deployment may set this TRIBUTARY_* key without a warning: a setting, a secret's
 * `_FILE`, TRIBUTARY_CONFIG_FILE, or a key the repo reads elsewhere (service ports, TRIBUTARY_HOST).
 */
export function isAcceptedKey(key: string): boolean {
  const definitions = flattenSettings(settings).map((entry) => entry.definition);
  return ownKeys(definitions).includes(key) || isExternalKey(key);
}
