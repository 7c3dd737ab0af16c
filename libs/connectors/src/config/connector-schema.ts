/** Connector names: lower-case, also used in table names and metric labels. */
export const CONNECTOR_NAME_PATTERN = '^[a-z][a-z0-9_]{0,62}$';
/** Column names as written in SQL (quoted): letters, digits and `_`, not starting with a digit. */
export const COLUMN_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,62}$';
/** `table` or `schema.table`. */
export const TABLE_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$';
export const EVENT_TYPE_PATTERN = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$';
export const DURATION_PATTERN = '^[0-9]+(ms|s|m|h|d)?$';
export const ENV_PATTERN = '^[A-Z_][A-Z0-9_]*$';
export const CRON_PATTERN = '^\\S+( \\S+){4,5}$';

export const PATTERN_NAMES: Record<string, string> = {
  [CONNECTOR_NAME_PATTERN]: 'a connector name (lower-case letters, digits and _, from a letter)',
  [COLUMN_PATTERN]: 'a column name (letters, digits and _, not starting with a digit)',
  [TABLE_PATTERN]: 'a table name (table or schema.table)',
  [EVENT_TYPE_PATTERN]: "an event type such as 'orders.row'",
  [DURATION_PATTERN]: 'a duration (e.g. 90s, 30m, 2h, 7d)',
  [ENV_PATTERN]: 'an environment variable name (upper-case letters, digits and _)',
  [CRON_PATTERN]: 'a cron expression of 5 or 6 fields (UTC)',
};

const column = { type: 'string', pattern: COLUMN_PATTERN };
const duration = { type: ['string', 'integer'], pattern: DURATION_PATTERN, minimum: 0 };

const postgres = {
  type: 'object',
  properties: {
    url_env: { type: 'string', pattern: ENV_PATTERN },
    table: { type: 'string', pattern: TABLE_PATTERN },
    query: { type: 'string', minLength: 1 },
    watermark: {
      type: 'object',
      properties: {
        column,
        type: { enum: ['timestamp', 'integer'] },
        overlap: duration,
      },
      required: ['column', 'type'],
      additionalProperties: false,
    },
    tie_breaker: column,
    page_size: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
  required: ['url_env', 'watermark', 'tie_breaker'],
  oneOf: [{ required: ['table'] }, { required: ['query'] }],
  additionalProperties: false,
};

const files = {
  type: 'object',
  properties: {
    location: { type: 'string', minLength: 1 },
    format: { enum: ['csv', 'jsonl', 'parquet'] },
    pattern: { type: 'string', minLength: 1 },
    csv: {
      type: 'object',
      properties: { delimiter: { type: 'string', minLength: 1, maxLength: 1 } },
      additionalProperties: false,
    },
  },
  required: ['location', 'format'],
  additionalProperties: false,
};

/** The JSON Schema (2020-12) of a connector YAML file. */
export const CONNECTOR_SCHEMA = {
  type: 'object',
  properties: {
    connector: { type: 'string', pattern: CONNECTOR_NAME_PATTERN },
    description: { type: 'string' },
    event_type: { type: 'string', pattern: EVENT_TYPE_PATTERN, maxLength: 128 },
    source: { type: 'string', pattern: '^[a-z0-9][a-z0-9._:-]{0,62}$' },
    schedule: { type: 'string', pattern: CRON_PATTERN },
    timeout: duration,
    freshness_sla: duration,
    retry: {
      type: 'object',
      properties: {
        attempts: { type: 'integer', minimum: 1, maximum: 20 },
        backoff: duration,
        max_backoff: duration,
      },
      additionalProperties: false,
    },
    primary_key: { type: 'array', items: column, minItems: 1, uniqueItems: true },
    version_column: column,
    occurred_at: column,
    subject: column,
    entity: {
      type: 'object',
      properties: {
        table: { type: 'string', pattern: CONNECTOR_NAME_PATTERN },
        columns: {
          type: 'object',
          propertyNames: { pattern: COLUMN_PATTERN },
          additionalProperties: { type: 'string', pattern: "^[A-Za-z][A-Za-z0-9(), '_]*$" },
          minProperties: 1,
        },
      },
      required: ['table', 'columns'],
      additionalProperties: false,
    },
    postgres,
    files,
  },
  required: ['connector', 'event_type'],
  oneOf: [{ required: ['postgres'] }, { required: ['files'] }],
  dependentRequired: { entity: ['primary_key'] },
  additionalProperties: false,
} as const;
