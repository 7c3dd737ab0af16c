import { EXPECTATION_TYPES, type ExpectationType, SEVERITIES } from './suite';

/** Column names: letters, digits, `_`, and `.` for nested columns; always quoted in SQL as well. */
export const COLUMN_PATTERN = '^[A-Za-z_][A-Za-z0-9_.]{0,127}$';
/** Table names: `table` or `database.table`. */
export const TABLE_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}(\\.[A-Za-z_][A-Za-z0-9_]{0,127})?$';
export const SUITE_NAME_PATTERN = '^[a-z][a-z0-9_.-]{0,99}$';
/** `90s`, `30m`, `2h`, `7d`, or a number of milliseconds. */
export const DURATION_PATTERN = '^[0-9]+(ms|s|m|h|d)?$';

const column = { type: 'string', pattern: COLUMN_PATTERN };
const scalar = { type: ['string', 'number', 'boolean'] };
const bound = { type: ['number', 'string'], minLength: 1 };

const common = {
  type: { const: '' },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  severity: { enum: [...SEVERITIES] },
  mostly: { type: 'number', minimum: 0, maximum: 1 },
  description: { type: 'string' },
};

function expectation(
  type: ExpectationType,
  properties: Record<string, unknown>,
  required: string[] = [],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'object',
    properties: { ...common, type: { const: type }, ...properties },
    required: ['type', ...required],
    additionalProperties: false,
    ...extra,
  };
}

/** One JSON Schema per expectation type, chosen by the `type` key so errors name the right field. */
export const EXPECTATION_SCHEMAS: Record<ExpectationType, Record<string, unknown>> = {
  row_count: expectation(
    'row_count',
    {
      min: { type: 'integer', minimum: 0 },
      max: { type: 'integer', minimum: 0 },
      relative_to: { type: 'string', pattern: TABLE_PATTERN },
      tolerance: { type: 'number', minimum: 0 },
    },
    [],
    {
      anyOf: [{ required: ['min'] }, { required: ['max'] }, { required: ['relative_to'] }],
      dependentRequired: { tolerance: ['relative_to'] },
    },
  ),
  column_set: expectation(
    'column_set',
    {
      columns: { type: 'array', items: column, minItems: 1, uniqueItems: true },
      exact: { type: 'boolean' },
    },
    ['columns'],
  ),
  not_null: expectation('not_null', { column }, ['column']),
  unique: expectation(
    'unique',
    { column, columns: { type: 'array', items: column, minItems: 1, uniqueItems: true } },
    [],
    { oneOf: [{ required: ['column'] }, { required: ['columns'] }] },
  ),
  column_type: expectation(
    'column_type',
    { column, expected_type: { type: 'string', minLength: 1, maxLength: 200 } },
    ['column', 'expected_type'],
  ),
  accepted_values: expectation(
    'accepted_values',
    { column, values: { type: 'array', items: scalar, minItems: 1 } },
    ['column', 'values'],
  ),
  value_range: expectation('value_range', { column, min: bound, max: bound }, ['column'], {
    anyOf: [{ required: ['min'] }, { required: ['max'] }],
  }),
  regex: expectation('regex', { column, pattern: { type: 'string', minLength: 1 } }, [
    'column',
    'pattern',
  ]),
  relationship: expectation(
    'relationship',
    {
      column,
      to: {
        type: 'object',
        properties: { table: { type: 'string', pattern: TABLE_PATTERN }, column },
        required: ['table', 'column'],
        additionalProperties: false,
      },
    },
    ['column', 'to'],
  ),
  freshness: expectation(
    'freshness',
    { column, max_age: { type: ['string', 'integer'], pattern: DURATION_PATTERN, minimum: 1 } },
    ['column', 'max_age'],
  ),
  custom_sql: expectation('custom_sql', { sql: { type: 'string', minLength: 1 } }, ['sql']),
};

/** The document around the expectations. */
export const SUITE_SCHEMA = {
  type: 'object',
  properties: {
    suite: { type: 'string', pattern: SUITE_NAME_PATTERN },
    description: { type: 'string' },
    table: { type: 'string', pattern: TABLE_PATTERN },
    expectations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: { type: { enum: [...EXPECTATION_TYPES] } },
        required: ['type'],
      },
    },
  },
  required: ['suite', 'expectations'],
  additionalProperties: false,
};
