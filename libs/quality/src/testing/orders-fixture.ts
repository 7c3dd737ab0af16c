import type { ClickHouseClient } from '@clickhouse/client';
import { parseSuite } from '../suite/parse-suite';

/**
 * A small orders table in a good and a crafted bad version, and a suite with one expectation of
 * every type: on `orders_good` all pass, on `orders_bad` each fails for one known reason.
 */
export const ORDERS_SUITE_YAML = `suite: orders
description: Orders before they are published
expectations:
  - type: row_count
    min: 1
    max: 4
  - type: row_count
    name: close to the reference
    relative_to: orders_reference
    tolerance: 0.2
    severity: warn
  - type: column_set
    columns: [order_id, line, source, currency, amount, email, created_at]
    exact: true
  - type: not_null
    column: email
    mostly: 0.7
  - type: unique
    columns: [order_id, line]
  - type: column_type
    column: amount
    expected_type: Float64
  - type: accepted_values
    column: currency
    values: [EUR, USD]
  - type: value_range
    column: amount
    min: 0
    max: 100
  - type: regex
    column: email
    pattern: '^[^@]+@[^@]+$'
  - type: relationship
    column: source
    to: { table: sources, column: name }
  - type: freshness
    column: created_at
    max_age: 1h
  - type: custom_sql
    name: at most two lines per order
    sql: SELECT order_id, count() AS lines FROM {{table}} GROUP BY order_id HAVING lines > 2
`;

export const ordersSuite = () => parseSuite(ORDERS_SUITE_YAML, 'orders.yaml');

/** The clock the fixture's timestamps are relative to. */
export const NOW = new Date('2026-03-01T12:00:00.000Z');

function at(minutesAgo: number): string {
  return new Date(NOW.getTime() - minutesAgo * 60_000)
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '');
}

const COLUMNS = `order_id UInt64, line UInt8, source String, currency LowCardinality(String),
  email Nullable(String), created_at DateTime64(3, 'UTC')`;

type Row = [number, number, string, string, number, string | null, number];

function rows(values: Row[], extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return values.map(([order_id, line, source, currency, amount, email, minutesAgo]) => ({
    order_id,
    line,
    source,
    currency,
    amount,
    email,
    created_at: at(minutesAgo),
    ...extra,
  }));
}

export const GOOD_ROWS = rows([
  [1, 1, 'web', 'EUR', 10, 'a@x.io', 30],
  [1, 2, 'web', 'USD', 20, 'b@x.io', 20],
  [2, 1, 'app', 'EUR', 5, null, 15],
  [3, 1, 'app', 'USD', 0, 'c@x.io', 5],
]);

/** Two days old; a duplicate (1, 1) in GBP at -3 with a bad e-mail; an unknown source; 2 NULLs. */
const OLD = 2 * 24 * 60;
export const BAD_ROWS = rows(
  [
    [1, 1, 'web', 'EUR', 10, 'a@x.io', OLD + 4],
    [1, 1, 'web', 'GBP', -3, 'not-an-email', OLD + 3],
    [1, 2, 'ghost', 'EUR', 5, null, OLD + 2],
    [2, 1, 'app', 'USD', 7, null, OLD + 1],
    [3, 1, 'app', 'EUR', 8, 'd@x.io', OLD],
  ],
  { note: '' },
);

export async function createOrdersTables(client: ClickHouseClient): Promise<void> {
  const ddl = [
    `CREATE TABLE orders_good (${COLUMNS}, amount Float64) ENGINE = MergeTree ORDER BY order_id`,
    `CREATE TABLE orders_bad (${COLUMNS}, amount Float32, note String) ENGINE = MergeTree ORDER BY order_id`,
    'CREATE TABLE orders_reference (n UInt8) ENGINE = MergeTree ORDER BY n',
    'CREATE TABLE sources (name String) ENGINE = MergeTree ORDER BY name',
  ];
  for (const query of ddl) await client.command({ query });
  await client.insert({ table: 'orders_good', values: GOOD_ROWS, format: 'JSONEachRow' });
  await client.insert({ table: 'orders_bad', values: BAD_ROWS, format: 'JSONEachRow' });
  await client.insert({
    table: 'orders_reference',
    values: [1, 2, 3, 4].map((n) => ({ n })),
    format: 'JSONEachRow',
  });
  await client.insert({
    table: 'sources',
    values: [{ name: 'web' }, { name: 'app' }],
    format: 'JSONEachRow',
  });
}
