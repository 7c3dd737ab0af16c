import {
  dedupSetting,
  distributedTable,
  mergeTreeEngine,
  onCluster,
  type RealtimeDdlOptions,
  resolveOptions,
  storageTable,
} from './realtime-options';

/** The table the speed layer writes every accepted event into; the views read it. */
export const EVENTS_TABLE = 'events_rt';

/**
 * Columns of `events_rt`: every StoredEvent field (`properties` as JSON text) plus the Kafka
 * partition and offset the row came from, for lineage and replays. A batch relation the compiled
 * batch SQL reads must have the same column names.
 */
export const EVENTS_RT_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['event_id', 'UUID'],
  ['type', 'LowCardinality(String)'],
  ['schema_version', 'Nullable(UInt32)'],
  ['occurred_at', "DateTime64(3, 'UTC')"],
  ['subject_id', 'Nullable(String)'],
  ['properties', 'String'],
  ['_ingested_at', "DateTime64(3, 'UTC')"],
  ['_source', 'LowCardinality(String)'],
  ['_correlation_id', 'String'],
  ['_schema_version', 'UInt32'],
  ['_kafka_partition', 'UInt32'],
  ['_kafka_offset', 'UInt64'],
];

/**
 * DDL for `events_rt`, each statement idempotent: create it if missing, then (re)state its TTL
 * and dedup window so a changed setting reaches an existing table. Partitioned by ingestion day
 * (TTL drops whole parts; batch cuts are by ingestion time), ordered for reads by type and event
 * time. The speed layer looks recent event_ids up in `events_rt_ids` (event-ids-ddl.ts), so the
 * bloom filter on event_id that once served that lookup is dropped where it exists. In cluster mode
 * the rows live in `events_rt_local` and `events_rt` is a Distributed table sharded by event_id,
 * so a replayed event lands on the shard that already deduplicated it.
 */
export function eventsTableDdl(options: RealtimeDdlOptions = {}): string[] {
  const o = resolveOptions(options);
  const table = storageTable(EVENTS_TABLE, o);
  const ttl = `toDateTime(_ingested_at) + INTERVAL ${o.eventsRetentionDays} DAY`;
  const create = [
    `CREATE TABLE IF NOT EXISTS ${table}${onCluster(o)}`,
    '(',
    EVENTS_RT_COLUMNS.map(([name, type]) => `  ${name} ${type}`).join(',\n'),
    ')',
    `ENGINE = ${mergeTreeEngine('MergeTree', EVENTS_TABLE, o)}`,
    'PARTITION BY toYYYYMMDD(_ingested_at)',
    'ORDER BY (type, occurred_at, event_id)',
    `TTL ${ttl}`,
    `SETTINGS ${dedupSetting(o)}, ttl_only_drop_parts = 1`,
  ].join('\n');
  return [
    create,
    ...(o.cluster === undefined
      ? []
      : [distributedTable(EVENTS_TABLE, 'cityHash64(event_id)', { ...o, cluster: o.cluster })]),
    `ALTER TABLE ${table}${onCluster(o)} MODIFY TTL ${ttl}`,
    `ALTER TABLE ${table}${onCluster(o)} MODIFY SETTING ${dedupSetting(o)}`,
    `ALTER TABLE ${table}${onCluster(o)} DROP INDEX IF EXISTS event_id_bloom`,
  ];
}
