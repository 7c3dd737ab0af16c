import type { ViewDefinition } from '../definition/view-definition';
import { assertValidView } from '../definition/validate-views';
import { EVENTS_TABLE } from './events-table-ddl';
import { fieldSql } from './field-sql';
import { finestGrain } from './grain-sql';
import { measureSql } from './measure-sql';
import {
  dedupSetting,
  distributedTable,
  mergeTreeEngine,
  onCluster,
  type RealtimeDdlOptions,
  resolveOptions,
  storageTable,
} from './realtime-options';
import { selectFromEvents } from './select-from-events';

/** The AggregatingMergeTree table a view's materialized view writes: `rt_<view>`. */
export function realtimeTable(view: ViewDefinition): string {
  return `rt_${view.name}`;
}

/** The materialized view that feeds it from events_rt: `mv_<view>`. */
export function materializedView(view: ViewDefinition): string {
  return `mv_${view.name}`;
}

/** The statements that (re)build one view's real-time objects, in order. */
export interface RealtimeViewDdl {
  /** Remove the previous version: the materialized view first, so no insert lands half-way. */
  readonly drop: readonly string[];
  /** The target table (and its Distributed table in cluster mode), then the materialized view. */
  readonly create: readonly string[];
  /** Fills the new table from what events_rt still holds. */
  readonly backfill: string;
}

/**
 * One view's real-time DDL: `rt_<view>` keyed by (event-time bucket at the view's finest grain,
 * ingestion-time bucket, dimensions) holding aggregate states, and `mv_<view>` aggregating each
 * insert into events_rt into it. The target carries the same dedup window as events_rt: a repeated
 * insert (same insert_deduplication_token) is then dropped in the materialized view as well.
 */
export function realtimeViewDdl(
  view: ViewDefinition,
  options: RealtimeDdlOptions = {},
): RealtimeViewDdl {
  assertValidView(view);
  const o = resolveOptions(options);
  const table = realtimeTable(view);
  const mv = materializedView(view);
  const local = storageTable(table, o);
  const sync = o.cluster === undefined ? '' : ' SYNC';
  const columns = [
    "event_bucket DateTime('UTC')",
    "ingested_bucket DateTime('UTC')",
    ...view.dimensions.map((d) => `${d.name} ${fieldSql(d).dimensionType}`),
    ...view.measures.map((m) => `${m.name} ${measureSql(m).stateType}`),
  ];
  const createTable = [
    `CREATE TABLE IF NOT EXISTS ${local}${onCluster(o)}`,
    '(',
    columns.map((c) => `  ${c}`).join(',\n'),
    ')',
    `ENGINE = ${mergeTreeEngine('AggregatingMergeTree', table, o)}`,
    'PARTITION BY toYYYYMMDD(ingested_bucket)',
    `ORDER BY (${['event_bucket', 'ingested_bucket', ...view.dimensions.map((d) => d.name)].join(', ')})`,
    `TTL ingested_bucket + INTERVAL ${view.retentionDays} DAY`,
    `SETTINGS ${dedupSetting(o)}, ttl_only_drop_parts = 1`,
  ].join('\n');
  const aggregate = (relation: string) =>
    selectFromEvents(view, {
      relation,
      bucket: { column: 'event_bucket', grain: finestGrain(view) },
      ingestedBucket: true,
      form: 'state',
    });
  const createView = [
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${mv}${onCluster(o)} TO ${local} AS`,
    aggregate(storageTable(EVENTS_TABLE, o)),
  ].join('\n');
  return {
    drop: [
      `DROP TABLE IF EXISTS ${mv}${onCluster(o)}${sync}`,
      ...(o.cluster === undefined ? [] : [`DROP TABLE IF EXISTS ${table}${onCluster(o)}${sync}`]),
      `DROP TABLE IF EXISTS ${local}${onCluster(o)}${sync}`,
    ],
    create: [
      createTable,
      ...(o.cluster === undefined
        ? []
        : [distributedTable(table, 'rand()', { ...o, cluster: o.cluster })]),
      createView,
    ],
    backfill: [
      `INSERT INTO ${table}`,
      aggregate(EVENTS_TABLE),
      ...(o.cluster === undefined ? [] : ['SETTINGS distributed_foreground_insert = 1']),
    ].join('\n'),
  };
}
