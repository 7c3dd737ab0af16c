import { EVENTS_RT_COLUMNS } from '@tributary/views';
import { icebergEngine, type LakeLocation } from './lake-location';

/** The master dataset: every accepted event, immutable, in the Iceberg table `events`. */
export const MASTER_TABLE = 'events';
/** What ClickHouse calls the Iceberg table (the local `events` name is free for other uses). */
export const MASTER_TABLE_CH = 'lake_events';

/**
 * Iceberg has no LowCardinality, UUID or unsigned types, and keeps timestamps in microseconds:
 * the master dataset stores events_rt's columns in the nearest Iceberg types, and reads cast
 * them back (`masterDatasetSelect`), so the batch SQL sees exactly events_rt's columns.
 */
const ICEBERG_TYPES: Record<string, string> = {
  UUID: 'String',
  'LowCardinality(String)': 'String',
  'Nullable(UInt32)': 'Nullable(Int64)',
  UInt32: 'Int64',
  UInt64: 'Int64',
  "DateTime64(3, 'UTC')": "DateTime64(6, 'UTC')",
};

function icebergType(type: string): string {
  return ICEBERG_TYPES[type] ?? type;
}

/** Creates the master dataset if missing: partitioned by event day (Iceberg's day transform). */
export function masterDatasetDdl(location: LakeLocation): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${MASTER_TABLE_CH}`,
    '(',
    EVENTS_RT_COLUMNS.map(([name, type]) => `  ${name} ${icebergType(type)}`).join(',\n'),
    ')',
    `ENGINE = ${icebergEngine(location, MASTER_TABLE)}`,
    'PARTITION BY toRelativeDayNum(occurred_at)',
  ].join('\n');
}

/** Columns of a select from the master dataset, cast back to events_rt's types. */
export function masterDatasetSelect(alias = ''): string {
  const prefix = alias === '' ? '' : `${alias}.`;
  return EVENTS_RT_COLUMNS.map(
    ([name, type]) =>
      `${type === icebergType(type) ? `${prefix}${name}` : `CAST(${prefix}${name} AS ${type})`} AS ${name}`,
  ).join(', ');
}

/** Columns of an insert into the master dataset from a table with events_rt's columns. */
export function masterDatasetInsertSelect(): string {
  return EVENTS_RT_COLUMNS.map(([name, type]) =>
    type === icebergType(type) ? name : `CAST(${name} AS ${icebergType(type)}) AS ${name}`,
  ).join(', ');
}

/** A staging table with events_rt's columns (no keys, no TTL): `Memory` or MergeTree. */
export function eventsStagingDdl(table: string, engine: 'Memory' | 'MergeTree'): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${table}`,
    '(',
    EVENTS_RT_COLUMNS.map(([name, type]) => `  ${name} ${type}`).join(',\n'),
    ')',
    engine === 'Memory' ? 'ENGINE = Memory' : 'ENGINE = MergeTree ORDER BY tuple()',
  ].join('\n');
}
