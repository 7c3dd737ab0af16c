import { type SettingDefinition } from './setting';
import { CONFIG_FILE_KEY, type ConfigFile, isObject, secretFileKey } from './sources';

/**
 * TRIBUTARY_* keys read elsewhere in the repo (libs/platform, scripts/services.sh, the jest
 * summary reporter). They are not config settings, but setting them is not a mistake either.
 */
const EXTERNAL_KEYS: ReadonlySet<string> = new Set([
  'TRIBUTARY_HOST',
  'TRIBUTARY_SERVICES_DIR',
  'TRIBUTARY_CACHE_DIR',
  'TRIBUTARY_KAFKA_VERSION',
  'TRIBUTARY_KAFKA_READY_TIMEOUT',
  'TRIBUTARY_JEST_SUMMARY_FILE',
]);

/** Service ports (libs/platform) and the local test services' ports (scripts/services.sh). */
const EXTERNAL_PORT_KEY = /^TRIBUTARY_[A-Z0-9_]+_PORT$/;

/** The keys the config itself reads: each setting, each secret's `_FILE`, the config file. */
export function ownKeys(definitions: readonly SettingDefinition[]): string[] {
  return [
    CONFIG_FILE_KEY,
    ...definitions.flatMap((definition) =>
      definition.sensitive ? [definition.key, secretFileKey(definition.key)] : [definition.key],
    ),
  ];
}

export function isExternalKey(key: string): boolean {
  return EXTERNAL_KEYS.has(key) || EXTERNAL_PORT_KEY.test(key);
}

/**
 * A typo in a key name would otherwise silently fall back to the default, so every TRIBUTARY_*
 * key nobody reads becomes a warning, with the nearest real key as a hint.
 */
export function unknownKeyWarnings(
  env: NodeJS.ProcessEnv,
  definitions: readonly SettingDefinition[],
): string[] {
  const own = ownKeys(definitions);
  const secrets = definitions.filter((d) => d.sensitive).map((d) => d.key);
  return Object.keys(env)
    .filter((key) => key.startsWith('TRIBUTARY_') && !own.includes(key) && !isExternalKey(key))
    .sort()
    .map((key) => {
      const plain = key.replace(/_FILE$/, '');
      if (plain !== key && definitions.some((d) => d.key === plain)) {
        return `${key} is ignored: only secrets can be read from a file (${secrets.join(', ')})`;
      }
      return `${key} is not a known setting and is ignored${hint(key, own)}`;
    });
}

/** The same check for the config file, whose keys are dotted paths such as `kafka.brokers`. */
export function unknownFileWarnings(file: ConfigFile, paths: readonly string[]): string[] {
  const warnings: string[] = [];
  const visit = (node: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const [name, value] of Object.entries(node)) {
      const path = `${prefix}${name}`;
      if (paths.includes(path)) continue;
      if (isObject(value) && paths.some((known) => known.startsWith(`${path}.`))) {
        visit(value, `${path}.`);
      } else {
        warnings.push(
          `${path} in ${file.path} is not a known setting and is ignored${hint(path, paths)}`,
        );
      }
    }
  };
  visit(file.values, '');
  return warnings;
}

function hint(name: string, candidates: readonly string[]): string {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best ? ` (did you mean ${best.candidate}?)` : '';
}

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
