import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { at } from './json-pointer';
import { toPropertyErrors, type PropertyError } from './property-errors';
import { isPlainObject } from './schema-node';

/**
 * Schemas are JSON Schema draft 2020-12: the current draft, with `prefixItems`, `$defs` and
 * `unevaluatedProperties`, and the one ajv and OpenAPI 3.1 share. A schema may name it in `$schema`;
 * any other dialect is refused rather than read with the wrong rules.
 */
export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export type ValidateProperties = (properties: unknown) => PropertyError[];

/**
 * ajv, configured once for the registry:
 * - strict mode, so a typo (`maxLenght`), a keyword without its type or a required property that is
 *   not declared fails registration instead of silently validating nothing;
 * - union types (`["string", "null"]`) allowed, formats from ajv-formats checked;
 * - every error reported (allErrors), so a client fixes an event in one round trip;
 * - `useDefaults`: a missing property with a `default` is filled in. That is what makes a new
 *   required property with a default backward compatible, so it is not optional.
 * - `$id`s are not registered, so two versions with the same `$id` compile side by side.
 */
export class SchemaCompiler {
  private readonly ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true,
    allErrors: true,
    useDefaults: true,
    addUsedSchema: false,
  });

  constructor() {
    addFormats(this.ajv);
  }

  /** Why `schema` cannot be registered; empty when it can. Pointers lead into the schema. */
  problems(schema: unknown): string[] {
    if (!isPlainObject(schema))
      return [at('', 'must be a JSON object (a schema with "type": "object")')];
    if (schema.$schema !== undefined && schema.$schema !== SCHEMA_DIALECT) {
      return [at('/$schema', `must be ${SCHEMA_DIALECT} (draft 2020-12) or absent`)];
    }
    if (!this.ajv.validateSchema(schema)) {
      const reasons = (this.ajv.errors ?? []).map((e) =>
        at(e.instancePath, e.message ?? e.keyword),
      );
      return [...new Set(reasons)];
    }
    const problems: string[] = [];
    if (schema.type !== 'object') {
      problems.push(
        at('/type', 'must be "object": it validates the object in an event\'s properties'),
      );
    }
    try {
      this.ajv.compile(schema);
      this.ajv.removeSchema(schema); // only checking: do not keep the compiled copy
    } catch (error) {
      problems.push(at('', (error as Error).message));
    }
    return problems;
  }

  /** Compiles a schema that passed `problems`; throws otherwise. */
  compile(schema: unknown): ValidateProperties {
    const validate = this.ajv.compile(schema as object);
    return (properties) => (validate(properties) ? [] : toPropertyErrors(validate.errors));
  }
}
