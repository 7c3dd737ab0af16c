import { EVENTS_TABLE } from './events-table-ddl';
import {
  dedupSetting,
  distributedTable,
  mergeTreeEngine,
  onCluster,
  type RealtimeDdlOptions,
  resolveOptions,
  storageTable,
} from './realtime-options';

/** The speed layer's recent event_ids per Kafka partition: what its duplicate check reads. */
export const EVENT_IDS_TABLE = 'events_rt_ids';

/** The materialized view that feeds it from every insert into events_rt. */
export const EVENT_IDS_VIEW = 'mv_events_rt_ids';

/**
 * Rows per granule of `events_rt_ids`. A lookup of a range's ids (a few thousand random UUIDs)
 * reads about one granule per id in each large part; compressed blocks of the same size (a granule
 * of UUIDs is 4 KiB) keep that read from decompressing its neighbours too.
 */
export const EVENT_IDS_GRANULARITY = 256;

/** The statements that (re)build the id table, in order (the same shape as a view's). */
export interface EventIdsDdl {
  readonly drop: readonly string[];
  readonly create: readonly string[];
  /** Fills the new table from the rows of events_rt inside the window. */
  readonly backfill: string;
}

/**
 * `events_rt_ids (partition, event_id, ingested_at)`, ordered by (partition, event_id), so the
 * speed layer's check "is this event_id already stored in this partition within the window" reads
 * a few rows per id instead of every row of events_rt within the window (events_rt is ordered for
 * the views' reads, by type and event time).
 *
 * `mv_events_rt_ids` writes it from each insert into events_rt, so it is written by the same
 * INSERT and deduplicated with it: the target carries the same `non_replicated_deduplication_window`,
 * and a repeated insert (same `insert_deduplication_token`) is dropped here as in every view;
 * re-inserting a range a crash interrupted pushes it here only if this view missed it. Only rows
 * ingested within the window are kept: older ones are never matched, and a replay of old events
 * writes nothing here. TTL drops a day's part once all its rows are past the window, so the table
 * holds one to two days of ids whatever events_rt's retention.
 */
export function eventIdsDdl(options: RealtimeDdlOptions = {}): EventIdsDdl {
  const o = resolveOptions(options);
  const local = storageTable(EVENT_IDS_TABLE, o);
  const sync = o.cluster === undefined ? '' : ' SYNC';
  const window = `INTERVAL ${o.eventIdWindowHours} HOUR`;
  const blocks = EVENT_IDS_GRANULARITY * 16;
  const createTable = [
    `CREATE TABLE IF NOT EXISTS ${local}${onCluster(o)}`,
    '(',
    "  partition UInt32,\n  event_id UUID,\n  ingested_at DateTime64(3, 'UTC')",
    ')',
    `ENGINE = ${mergeTreeEngine('MergeTree', EVENT_IDS_TABLE, o)}`,
    'PARTITION BY toYYYYMMDD(ingested_at)',
    'ORDER BY (partition, event_id)',
    `TTL toDateTime(ingested_at) + ${window}`,
    `SETTINGS ${dedupSetting(o)}, ttl_only_drop_parts = 1, index_granularity = ${EVENT_IDS_GRANULARITY},`,
    `  min_compress_block_size = ${blocks}, max_compress_block_size = ${blocks}`,
  ].join('\n');
  const select = (relation: string) =>
    [
      'SELECT _kafka_partition AS partition, event_id, _ingested_at AS ingested_at',
      `FROM ${relation}`,
      `WHERE _ingested_at >= now64(3) - ${window}`,
    ].join('\n');
  return {
    drop: [
      `DROP TABLE IF EXISTS ${EVENT_IDS_VIEW}${onCluster(o)}${sync}`,
      ...(o.cluster === undefined
        ? []
        : [`DROP TABLE IF EXISTS ${EVENT_IDS_TABLE}${onCluster(o)}${sync}`]),
      `DROP TABLE IF EXISTS ${local}${onCluster(o)}${sync}`,
    ],
    create: [
      createTable,
      ...(o.cluster === undefined
        ? []
        : [
            distributedTable(EVENT_IDS_TABLE, 'cityHash64(event_id)', { ...o, cluster: o.cluster }),
          ]),
      [
        `CREATE MATERIALIZED VIEW IF NOT EXISTS ${EVENT_IDS_VIEW}${onCluster(o)} TO ${local} AS`,
        select(storageTable(EVENTS_TABLE, o)),
      ].join('\n'),
    ],
    backfill: [
      `INSERT INTO ${EVENT_IDS_TABLE}`,
      select(EVENTS_TABLE),
      ...(o.cluster === undefined ? [] : ['SETTINGS distributed_foreground_insert = 1']),
    ].join('\n'),
  };
}
