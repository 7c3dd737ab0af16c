import { readFileSync } from 'node:fs';
import { type SettingDefinition } from './setting';

/** Names an optional JSON file with the same settings, nested like the config (`kafka.brokers`). */
export const CONFIG_FILE_KEY = 'TRIBUTARY_CONFIG_FILE';

/** The text of one setting and, when not the plain env key, where it came from (for messages). */
export type RawLookup = { readonly text: string; readonly origin?: string } | 'unset' | 'failed';

export interface ConfigFile {
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** `<KEY>_FILE` holds the path of a file with the secret: how Docker and Kubernetes mount secrets. */
export function secretFileKey(key: string): string {
  return `${key}_FILE`;
}

/** Reads the JSON file named by TRIBUTARY_CONFIG_FILE, if any; problems go to `problems`. */
export function readConfigFile(env: NodeJS.ProcessEnv, problems: string[]): ConfigFile | undefined {
  const path = nonEmpty(env[CONFIG_FILE_KEY]);
  if (path === undefined) return undefined;
  const named = `${CONFIG_FILE_KEY}=${JSON.stringify(path)}`;
  let values: unknown;
  try {
    values = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    problems.push(`${named} ${reason}: ${(error as Error).message}`);
    return undefined;
  }
  if (!isObject(values)) {
    problems.push(`${named} is invalid: expected a JSON object such as {"log": {"level": "info"}}`);
    return undefined;
  }
  return { path, values };
}

/**
 * Finds the text of one setting. Precedence: env `KEY`, then env `KEY_FILE` (secrets only; both
 * set is an error, since which one wins would be a guess), then the config file. An empty value
 * counts as unset, because compose files often pass `KEY=${KEY:-}`.
 */
export function lookUp(
  path: string,
  definition: SettingDefinition,
  env: NodeJS.ProcessEnv,
  file: ConfigFile | undefined,
  problems: string[],
): RawLookup {
  const { key } = definition;
  const direct = nonEmpty(env[key]);
  const fileKey = secretFileKey(key);
  const secretPath = definition.sensitive ? nonEmpty(env[fileKey]) : undefined;
  if (direct !== undefined && secretPath !== undefined) {
    problems.push(`${key} and ${fileKey} are both set: set only one`);
    return 'failed';
  }
  if (direct !== undefined) return { text: direct };
  if (secretPath !== undefined) return readSecret(fileKey, secretPath, problems);
  if (file) {
    const text = jsonToText(valueAt(file.values, path));
    if (text !== undefined) return { text, origin: `${path} in ${file.path}` };
  }
  return 'unset';
}

function readSecret(fileKey: string, path: string, problems: string[]): RawLookup {
  try {
    const text = readFileSync(path, 'utf8').replace(/(\r?\n)+$/, '');
    return text === '' ? 'unset' : { text, origin: `from ${fileKey}=${JSON.stringify(path)}` };
  } catch (error) {
    problems.push(`${fileKey}=${JSON.stringify(path)} cannot be read: ${(error as Error).message}`);
    return 'failed';
  }
}

/** JSON scalars and lists become the env text form, so one parser serves env and file alike. */
function jsonToText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const isList =
    Array.isArray(value) &&
    value.every((item) => typeof item === 'string' || typeof item === 'number');
  return isList ? value.join(',') : JSON.stringify(value);
}

function valueAt(values: Readonly<Record<string, unknown>>, path: string): unknown {
  let node: unknown = values;
  for (const name of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[name];
  }
  return node;
}

export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
