import { CLUSTER_NAME, sqlString } from '../definition/identifiers';

/** How the real-time DDL is generated. */
export interface RealtimeDdlOptions {
  /** Days an event stays in `events_rt`, from its `_ingested_at`. Default 7. */
  eventsRetentionDays?: number;
  /**
   * How many recent inserts each table remembers to drop a repeat with the same
   * `insert_deduplication_token` (`non_replicated_deduplication_window`, or
   * `replicated_deduplication_window` in cluster mode). Default 1000.
   */
  dedupWindow?: number;
  /**
   * Hours an `event_id` counts as already stored (client retries): how far back `events_rt_ids`
   * keeps ids. The speed layer's sink must not look further back (its `dedupWindowMs`). Default 24.
   */
  eventIdWindowHours?: number;
  /**
   * Cluster mode: Replicated* engines for `<table>_local` on every node, a Distributed table under
   * the plain name, and every statement `ON CLUSTER`. `name` is a cluster of the server
   * configuration or the `{cluster}` macro.
   */
  cluster?: { name: string };
}

export const DEFAULT_EVENTS_RETENTION_DAYS = 7;
export const DEFAULT_DEDUP_WINDOW = 1000;
export const DEFAULT_EVENT_ID_WINDOW_HOURS = 24;

export interface ResolvedOptions {
  readonly eventsRetentionDays: number;
  readonly dedupWindow: number;
  readonly eventIdWindowHours: number;
  readonly cluster: string | undefined;
}

export function resolveOptions(options: RealtimeDdlOptions = {}): ResolvedOptions {
  const eventsRetentionDays = options.eventsRetentionDays ?? DEFAULT_EVENTS_RETENTION_DAYS;
  const dedupWindow = options.dedupWindow ?? DEFAULT_DEDUP_WINDOW;
  const eventIdWindowHours = options.eventIdWindowHours ?? DEFAULT_EVENT_ID_WINDOW_HOURS;
  const problems: string[] = [];
  if (!Number.isInteger(eventsRetentionDays) || eventsRetentionDays < 1) {
    problems.push(
      `eventsRetentionDays must be a whole number of days ≥ 1, got ${eventsRetentionDays}`,
    );
  }
  if (!Number.isInteger(dedupWindow) || dedupWindow < 1) {
    problems.push(`dedupWindow must be a whole number of inserts ≥ 1, got ${dedupWindow}`);
  }
  if (!Number.isInteger(eventIdWindowHours) || eventIdWindowHours < 1) {
    problems.push(
      `eventIdWindowHours must be a whole number of hours ≥ 1, got ${eventIdWindowHours}`,
    );
  }
  const cluster = options.cluster?.name;
  if (cluster !== undefined && !CLUSTER_NAME.test(cluster)) {
    problems.push(`cluster name '${cluster}' must be {cluster} or [A-Za-z_][A-Za-z0-9_]*`);
  }
  if (problems.length > 0) throw new Error(`Invalid real-time DDL options: ${problems.join('; ')}`);
  return { eventsRetentionDays, dedupWindow, eventIdWindowHours, cluster };
}

/** ` ON CLUSTER '{cluster}'`, or nothing on a single node. */
export function onCluster(options: ResolvedOptions): string {
  return options.cluster === undefined ? '' : ` ON CLUSTER ${sqlString(options.cluster)}`;
}

/** The table that stores the rows: `<table>_local` in cluster mode, else `<table>`. */
export function storageTable(table: string, options: ResolvedOptions): string {
  return options.cluster === undefined ? table : `${table}_local`;
}

export function mergeTreeEngine(
  kind: 'MergeTree' | 'AggregatingMergeTree',
  table: string,
  options: ResolvedOptions,
): string {
  if (options.cluster === undefined) return kind;
  const path = `/clickhouse/tables/{shard}/{database}/${storageTable(table, options)}`;
  return `Replicated${kind}(${sqlString(path)}, '{replica}')`;
}

export function dedupSetting(options: ResolvedOptions): string {
  const setting =
    options.cluster === undefined
      ? 'non_replicated_deduplication_window'
      : 'replicated_deduplication_window';
  return `${setting} = ${options.dedupWindow}`;
}

/** The Distributed table over `<table>_local` on every shard (cluster mode only). */
export function distributedTable(
  table: string,
  shardingKey: string,
  options: ResolvedOptions & { cluster: string },
): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${table}${onCluster(options)} AS ${storageTable(table, options)}`,
    `ENGINE = Distributed(${sqlString(options.cluster)}, currentDatabase(), ${storageTable(table, options)}, ${shardingKey})`,
  ].join('\n');
}
