import { inspect } from 'node:util';
import { ConfigError, invalidValue, missingRequired } from './errors';
import { redactConfig } from './redact';
import { settings, type TributaryConfig } from './schema';
import { flattenSettings, type Profile, type SettingDefinition } from './setting';
import { type ConfigFile, lookUp, readConfigFile } from './sources';
import { unknownFileWarnings, unknownKeyWarnings } from './unknown-keys';

export interface LoadedConfig {
  readonly config: TributaryConfig;
  /** Unknown TRIBUTARY_* keys and config-file entries: likely typos, but not fatal. */
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  /** Receives each warning; by default one JSON line on stderr, like the services' own logs. */
  onWarning?: (warning: string) => void;
}

/**
 * Reads and validates every setting once, at start-up, before Nest boots: a bad deployment stops
 * here with one `ConfigError` that lists every bad key, instead of failing later in a request.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): TributaryConfig {
  const { config, warnings } = readConfig(env);
  const warn = options.onWarning ?? writeWarning;
  for (const warning of warnings) warn(warning);
  return config;
}

/** `loadConfig` without the side effect: the config and its warnings, or a `ConfigError`. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const problems: string[] = [];
  const file = readConfigFile(env, problems);
  const entries = flattenSettings(settings);
  const resolve = (path: string, definition: SettingDefinition, profile: Profile): unknown =>
    resolveSetting(path, definition, profile, env, file, problems);
  // The profile decides the other defaults, so it comes first. If it is itself invalid, the rest
  // is checked as embedded, which requires nothing: no guessed "is required" lines.
  const profile = (resolve('profile', settings.profile.definition, 'embedded') ??
    'embedded') as Profile;
  const values = entries.map(({ path, definition }) => ({
    path,
    value: path === 'profile' ? profile : resolve(path, definition, profile),
  }));
  const definitions = entries.map((entry) => entry.definition);
  const paths = entries.map((entry) => entry.path);
  const warnings = [
    ...unknownKeyWarnings(env, definitions),
    ...(file ? unknownFileWarnings(file, paths) : []),
  ];
  // Warnings travel with the error: a misspelt key is often why a required one is missing.
  if (problems.length > 0) throw new ConfigError(problems, warnings);
  return { config: seal(nest(values)), warnings };
}

function resolveSetting(
  path: string,
  definition: SettingDefinition,
  profile: Profile,
  env: NodeJS.ProcessEnv,
  file: ConfigFile | undefined,
  problems: string[],
): unknown {
  const { key, parser, sensitive } = definition;
  const found = lookUp(path, definition, env, file, problems);
  if (found === 'failed') return undefined;
  if (found === 'unset') {
    const fallback = definition.defaults[profile];
    if (fallback === undefined) {
      if (definition.requiredIn.includes(profile)) {
        problems.push(missingRequired(key, profile, parser.expected));
      }
      return undefined;
    }
    const value = parser.parse(fallback);
    // A bad default is a bug in the schema, not in the deployment: the spec for defaults catches it.
    if (value === undefined)
      throw new Error(`Default ${JSON.stringify(fallback)} of ${key} is invalid`);
    return value;
  }
  const value = parser.parse(found.text);
  if (value === undefined) {
    const { expected } = parser;
    problems.push(invalidValue(key, found.text, { sensitive, origin: found.origin, expected }));
  }
  return value;
}

/** `[{path: 'kafka.brokers', value}]` → `{kafka: {brokers: value}}`. */
function nest(values: readonly { path: string; value: unknown }[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, value } of values) {
    const names = path.split('.');
    const leaf = names.pop() as string;
    let node = root;
    for (const name of names) node = (node[name] ??= {}) as Record<string, unknown>;
    node[leaf] = value;
  }
  return root;
}

/**
 * Frozen, because services share one instance. Serialising or inspecting it (a stray
 * `logger.log(config)`) yields the redacted copy, so a secret cannot reach a log by accident.
 */
function seal(root: Record<string, unknown>): TributaryConfig {
  const config = root as unknown as TributaryConfig;
  Object.defineProperties(root, {
    toJSON: { value: () => redactConfig(config) },
    [inspect.custom]: { value: () => redactConfig(config) },
  });
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function writeWarning(warning: string): void {
  const line = { level: 'warn', event: 'config.warning', message: warning, pid: process.pid };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}
