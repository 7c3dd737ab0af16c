import { isDeepStrictEqual } from 'node:util';

/** A JSON Schema object; `true` reads as `{}` (anything), `false` as nothing. */
export type SchemaObject = Readonly<Record<string, unknown>>;

export const ACCEPTS_ANYTHING: SchemaObject = {};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema as an object, `false` for the schema that accepts nothing. */
export function schemaObject(schema: unknown): SchemaObject | false {
  if (schema === false) return false;
  return isPlainObject(schema) ? schema : ACCEPTS_ANYTHING;
}

export function propertiesOf(schema: SchemaObject): Readonly<Record<string, unknown>> {
  return isPlainObject(schema.properties) ? schema.properties : {};
}

export function requiredOf(schema: SchemaObject): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((n) => typeof n === 'string') : [];
}

/** The `type` keyword as a list; undefined when absent (any type). */
export function typesOf(schema: SchemaObject): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  return Array.isArray(schema.type) ? schema.type.filter((t) => typeof t === 'string') : undefined;
}

/** `enum`, or `const` as a one-value enum; undefined when neither restricts the value. */
export function allowedValuesOf(schema: SchemaObject): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  return 'const' in schema ? [schema.const] : undefined;
}

export function includesValue(values: readonly unknown[], value: unknown): boolean {
  return values.some((candidate) => isDeepStrictEqual(candidate, value));
}
