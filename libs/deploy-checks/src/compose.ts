import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { readRepoFile } from './repo';
import { isRecord, type Json, parseYaml, record } from './yaml-files';

export const COMPOSE_FILE = 'docker-compose.yml';
export const ENV_EXAMPLE = '.env.example';

/** A `${NAME}` / `${NAME:-default}` reference in the compose file. */
export interface Interpolation {
  name: string;
  fallback: string | undefined;
}

/** KEY=value lines of a dotenv file (comments and blank lines skipped, no quoting rules). */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (!match) throw new Error(`Not a KEY=value line: ${line}`);
    if (values.has(match[1])) throw new Error(`${match[1]} is set twice`);
    values.set(match[1], match[2]);
  }
  return values;
}

/**
 * Compose's variable interpolation: `$$` is a literal `$`; `${NAME}`, `${NAME:-default}`,
 * `${NAME-default}`, `${NAME:?error}` and `$NAME` take the value from `variables`, else the
 * default. Returns the text and every reference it met.
 */
export function interpolate(
  text: string,
  variables: ReadonlyMap<string, string>,
): { text: string; references: Interpolation[] } {
  const references: Interpolation[] = [];
  const pattern =
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  const result = text.replace(
    pattern,
    (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const fallback = operator?.endsWith('-') ? argument : undefined;
      references.push({ name, fallback });
      const value = variables.get(name);
      if (value !== undefined && !(operator?.startsWith(':') && value === '')) return value;
      if (operator?.endsWith('?')) throw new Error(`${name} is required: ${argument ?? ''}`);
      return fallback ?? '';
    },
  );
  return { text: result, references };
}

export interface LoadedCompose {
  /** The model with merge keys resolved and values interpolated with .env.example's. */
  model: Json;
  references: Interpolation[];
  envExample: Map<string, string>;
}

export function loadCompose(): LoadedCompose {
  const envExample = parseDotenv(readRepoFile(ENV_EXAMPLE));
  // Compose interpolates values after parsing (comments and keys are left alone).
  const parsed = parseYaml(readRepoFile(COMPOSE_FILE), COMPOSE_FILE);
  if (!isRecord(parsed)) throw new Error(`${COMPOSE_FILE} is not a mapping`);
  const references: Interpolation[] = [];
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const result = interpolate(value, envExample);
      references.push(...result.references);
      return result.text;
    }
    if (Array.isArray(value)) return value.map(visit);
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item)]));
    }
    return value;
  };
  return { model: visit(parsed) as Json, references, envExample };
}

/**
 * The Compose Specification's JSON schema (draft-07), as bundled by the npm package `dclint`
 * (a Compose linter that validates against it). The package exports no subpath for it, so it is
 * read next to its package.json.
 */
export function composeSchema(): Json {
  const packageJson = require.resolve('dclint/package.json');
  const schemaPath = join(dirname(packageJson), 'schemas', 'compose.schema.json');
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Json;
}

/** Schema errors of a compose model, one readable line each; empty when it is valid. */
export function composeSchemaErrors(model: unknown): string[] {
  const schema = composeSchema();
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names its meta-schema with an https URL Ajv does not register by default.
  const metaSchema = JSON.parse(
    readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8'),
  ) as Json;
  const id = typeof schema.$schema === 'string' ? schema.$schema : undefined;
  if (id && !ajv.getSchema(id)) ajv.addMetaSchema({ ...metaSchema, $id: id }, id);
  const validate = ajv.compile(schema);
  if (validate(model)) return [];
  return (validate.errors ?? []).map(describeAjvError);
}

function describeAjvError(error: ErrorObject): string {
  const extra =
    error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return `${error.instancePath || '/'} ${error.message ?? error.keyword}${extra}`;
}

export type ComposeService = Json;

export function composeServices(model: Json): Record<string, ComposeService> {
  const services = record(model.services);
  return Object.fromEntries(Object.entries(services).map(([name, value]) => [name, record(value)]));
}

/** `environment` as a map, whether written as a mapping or as a list of KEY=value. */
export function serviceEnvironment(service: ComposeService): Map<string, string> {
  const environment = service.environment;
  if (Array.isArray(environment)) {
    return new Map(
      environment.map((entry) => {
        const [key, ...rest] = String(entry).split('=');
        return [key, rest.join('=')];
      }),
    );
  }
  return new Map(Object.entries(record(environment)).map(([key, value]) => [key, String(value)]));
}

/** `depends_on` as name → condition (the short list form means service_started). */
export function serviceDependencies(service: ComposeService): Map<string, string> {
  const dependsOn = service.depends_on;
  if (Array.isArray(dependsOn))
    return new Map(dependsOn.map((name) => [String(name), 'service_started']));
  return new Map(
    Object.entries(record(dependsOn)).map(([name, value]) => [
      name,
      String(record(value).condition ?? 'service_started'),
    ]),
  );
}

/** A one-shot job: it runs to completion once (`restart: "no"`) and others wait for its exit. */
export function isOneShot(service: ComposeService): boolean {
  return service.restart === 'no';
}
