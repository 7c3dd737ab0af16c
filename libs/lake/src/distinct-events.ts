import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { EVENTS_RT_COLUMNS, formatDateTime64 } from '@tributary/views';
import { countRows } from '@tributary/warehouse';
import type { Lease } from './lease';
import { MASTER_TABLE_CH, masterDatasetSelect } from './master-dataset';

/** The staged master dataset: each event once (its first ingested copy), in events_rt's types. */
export const DISTINCT_TABLE = 'events_distinct';
/** How far `events_distinct` is complete in ingestion time: one row per append. */
export const DISTINCT_PROGRESS_TABLE = 'events_distinct_progress';

/**
 * Tables a staging step works in; one that died left them behind, the next step drops them. A
 * run's tail may be in use by a run of another process, so only a day-old one is dropped.
 */
const SCRATCH = /^events_distinct_(inc|next|tail)_[0-9a-f]{32}$/;

/** Iceberg snapshot settings of a read of the master dataset (`{}` reads the current one). */
export type SnapshotPin = Record<string, string>;

export interface DistinctEventsOptions {
  client: ClickHouseClient;
  /**
   * Held while the table grows, across processes (two schedulers, a CLI beside the service): two
   * appends of one range at once would both miss the other's rows and store an event twice.
   * Calls within one process are serialized without it.
   */
  lease?: () => Lease;
  /** How long to wait for another process's staging before giving up. */
  leaseWaitMs?: number;
}

export interface StagedRange {
  /** Start of the ingestion-time range staged (`undefined`: from the beginning). */
  from: Date | undefined;
  to: Date;
  /** Distinct events it added. */
  rows: number;
}

/**
 * The staging step of the batch layer, kept between runs: `events_distinct` holds every event of
 * the master dataset ingested before its progress mark (`through()`) exactly once — of each event_id the copy
 * ingested first, then the lowest Kafka partition and offset (the copies clients and replays make
 * are dropped here, ARCHITECTURE §2).
 *
 * Because the first ingested copy wins, a copy ingested later can never replace a stored event:
 * the table only grows. Advancing it from mark M to T deduplicates just the events ingested in
 * [M, T) and keeps those whose id is not stored yet. A run reads the distinct events ingested
 * before its cut C ≤ T by filtering `_ingested_at < C` — exactly the deduplication of the master
 * dataset cut at C, since an event's first copy is ingested no later than any of its copies.
 * Rows at or past the mark are not part of that promise (a step that died after part of its
 * append, or an append in progress), so readers never read past it.
 * Sorting the whole master dataset by event_id, the dominant cost of a run, happens once
 * (`restage`), not on every full rebuild of every view.
 *
 * The mark must only move to where the lake is complete (no event ingested before it can still
 * arrive), so the runner advances to the lake's safe cut and stages anything beyond it per run
 * (`stageTail`) without keeping it. The table is derived: `restage` rebuilds it from the master
 * dataset and swaps it in, and a warehouse without it (or without its progress) restages.
 */
export class DistinctEvents {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DistinctEventsOptions) {}

  /** Creates the table and its progress log if missing. */
  async ensure(): Promise<void> {
    await this.command(distinctTableDdl(DISTINCT_TABLE));
    await this.command(
      `CREATE TABLE IF NOT EXISTS ${DISTINCT_PROGRESS_TABLE} (
         through DateTime64(3, 'UTC'),
         input_snapshot String,
         rows UInt64,
         staged_at DateTime64(3, 'UTC') DEFAULT now64(3)
       ) ENGINE = MergeTree ORDER BY through`,
    );
  }

  /** Every event ingested before this instant is in the table; `undefined`: never staged. */
  async through(): Promise<Date | undefined> {
    await this.ensure();
    const result = await this.options.client.query({
      query: `SELECT toUnixTimestamp64Milli(max(through)) AS ms, count() AS n FROM ${DISTINCT_PROGRESS_TABLE}`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ ms: string; n: string }>();
    return row.n === '0' ? undefined : new Date(Number(row.ms));
  }

  /**
   * Stages the events ingested before `to` that are not staged yet (all of them the first time),
   * reading the master dataset at `pin`. Nothing happens when the table is already that far.
   */
  advance(to: Date, pin: SnapshotPin = {}): Promise<StagedRange> {
    return this.exclusively(async () => {
      const from = await this.through();
      if (from !== undefined && from.getTime() >= to.getTime()) return { from, to, rows: 0 };
      if (from === undefined) return this.rebuild(to, pin);
      await this.dropScratch();
      const rows = await this.stageRange(from, to, pin, DISTINCT_TABLE, 'all');
      await this.mark(to, pin, rows);
      return { from, to, rows };
    });
  }

  /** Rebuilds the table from the whole master dataset up to `to`, and swaps it in. */
  restage(to: Date, pin: SnapshotPin = {}): Promise<StagedRange> {
    return this.exclusively(() => this.rebuild(to, pin));
  }

  /**
   * A table of the distinct events ingested in [`from`, `to`) that are not in `events_distinct`,
   * for a run whose cut lies beyond what may be kept; the caller drops it.
   */
  async stageTail(from: Date | undefined, to: Date, pin: SnapshotPin = {}): Promise<string> {
    await this.ensure();
    const tail = scratchName('tail');
    await this.command(distinctTableDdl(tail));
    try {
      await this.stageRange(from, to, pin, tail, 'before-from');
      return tail;
    } catch (error) {
      await this.command(`DROP TABLE IF EXISTS ${tail}`).catch(() => undefined);
      throw error;
    }
  }

  private async rebuild(to: Date, pin: SnapshotPin): Promise<StagedRange> {
    await this.ensure();
    await this.dropScratch();
    const next = scratchName('next');
    await this.command(distinctTableDdl(next));
    try {
      await this.options.client.command({
        query: `INSERT INTO ${next} ${dedupedRange(undefined)}`,
        query_params: { to: formatDateTime64(to) },
        clickhouse_settings: { ...pin, ...MANY_PARTITIONS },
      });
      const rows = await countRows(this.options.client, next);
      // No mark while the swap happens: a reader sees "never staged" and stages for itself.
      await this.command(`TRUNCATE TABLE ${DISTINCT_PROGRESS_TABLE}`);
      await this.command(`EXCHANGE TABLES ${DISTINCT_TABLE} AND ${next}`);
      await this.mark(to, pin, rows);
      return { from: undefined, to, rows };
    } finally {
      await this.command(`DROP TABLE IF EXISTS ${next}`);
    }
  }

  /**
   * Deduplicates the events ingested in [from, to) and appends those not stored yet to `into`;
   * returns how many. `stored` says which rows of the table count: all of them while the table
   * grows (rows at or past the mark are then what a step that died appended of this same range),
   * or only those before `from` for a run's tail (another process may be appending meanwhile).
   */
  private async stageRange(
    from: Date | undefined,
    to: Date,
    pin: SnapshotPin,
    into: string,
    stored: 'all' | 'before-from',
  ): Promise<number> {
    const scratch = scratchName('inc');
    await this.command(distinctTableDdl(scratch));
    const params = { to: formatDateTime64(to), ...(from ? { from: formatDateTime64(from) } : {}) };
    try {
      await this.options.client.command({
        query: `INSERT INTO ${scratch} ${dedupedRange(from)}`,
        query_params: params,
        clickhouse_settings: { ...pin, ...MANY_PARTITIONS },
      });
      const fresh =
        from === undefined
          ? `SELECT * FROM ${scratch}`
          : `SELECT * FROM ${scratch} WHERE event_id NOT IN (
               SELECT event_id FROM ${DISTINCT_TABLE}
               WHERE ${stored === 'all' ? '' : "_ingested_at < {from:DateTime64(3, 'UTC')} AND "}
                 event_id IN (SELECT event_id FROM ${scratch}))`;
      // What the insert added, counted in `into` around it rather than by evaluating `fresh` (its
      // anti-join) a second time: nothing else appends in that range meanwhile (a tail is the
      // run's own table; the table itself grows only under `exclusively`).
      const inRange = () => this.countFrom(into, from, params);
      const before = await inRange();
      await this.options.client.command({
        query: `INSERT INTO ${into} ${fresh}`,
        query_params: params,
        clickhouse_settings: MANY_PARTITIONS,
      });
      return (await inRange()) - before;
    } finally {
      await this.command(`DROP TABLE IF EXISTS ${scratch}`).catch(() => undefined);
    }
  }

  /** Rows of `table` ingested at or after `from` (all of them without it). */
  private async countFrom(
    table: string,
    from: Date | undefined,
    params: Record<string, string>,
  ): Promise<number> {
    const result = await this.options.client.query({
      query: `SELECT count() AS n FROM ${table}
              ${from ? "WHERE _ingested_at >= {from:DateTime64(3, 'UTC')}" : ''}`,
      query_params: params,
      format: 'JSONEachRow',
    });
    const [{ n }] = await result.json<{ n: string }>();
    return Number(n);
  }

  private async mark(to: Date, pin: SnapshotPin, rows: number): Promise<void> {
    await this.options.client.command({
      query: `INSERT INTO ${DISTINCT_PROGRESS_TABLE} (through, input_snapshot, rows)
              VALUES ({to:DateTime64(3, 'UTC')}, {snapshot:String}, {rows:UInt64})`,
      query_params: { to: formatDateTime64(to), snapshot: pin.iceberg_snapshot_id ?? '', rows },
    });
  }

  /** Runs `work` after every earlier call of this object, holding the lease when there is one. */
  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const lease = this.options.lease?.();
      if (lease) {
        const signal = AbortSignal.timeout(this.options.leaseWaitMs ?? 15 * 60_000);
        await lease.acquire({ pollMs: 500, signal });
      }
      try {
        return await work();
      } finally {
        await lease?.release();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async dropScratch(): Promise<void> {
    const result = await this.options.client.query({
      query: `SELECT name, metadata_modification_time < now() - INTERVAL 1 DAY AS old
              FROM system.tables WHERE database = currentDatabase()
              AND startsWith(name, 'events_distinct_')`,
      format: 'JSONEachRow',
    });
    for (const { name, old } of await result.json<{ name: string; old: number }>()) {
      const kind = SCRATCH.exec(name)?.[1];
      if (kind && (kind !== 'tail' || old)) await this.command(`DROP TABLE IF EXISTS ${name}`);
    }
  }

  private async command(query: string): Promise<void> {
    await this.options.client.command({ query });
  }
}

/**
 * Late events can reach back over many months; each month is a partition of the table, and an
 * insert touching more than ClickHouse's default 100 would fail instead of storing them.
 */
const MANY_PARTITIONS = { throw_on_max_partitions_per_insert_block: 0 } as const;

/** A table with events_rt's columns, partitioned by event month, ordered for reads by day and type. */
function distinctTableDdl(table: string): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${table}`,
    '(',
    EVENTS_RT_COLUMNS.map(([name, type]) => `  ${name} ${type}`).join(',\n'),
    ')',
    'ENGINE = MergeTree',
    'PARTITION BY toYYYYMM(occurred_at)',
    'ORDER BY (toDate(occurred_at), type)',
  ].join('\n');
}

/**
 * Of each event_id ingested in [from, to) (from the beginning when `from` is undefined), the copy
 * ingested first, then the lowest partition, then the lowest offset. With random event ids this
 * sort is what a batch run used to spend most of its time on (bench/results, batch); measured on
 * 10M rows and rejected as faster alternatives: hash-aggregating the ids to sort only the repeated
 * ones (three reads of the lake, 3–4× slower, no faster with 64-bit hashes of the ids), sorting by
 * the id as a UUID or by its hash first (slower than by the string).
 */
function dedupedRange(from: Date | undefined): string {
  const since = from === undefined ? '' : `m._ingested_at >= {from:DateTime64(3, 'UTC')} AND `;
  return `SELECT ${masterDatasetSelect('m')} FROM ${MASTER_TABLE_CH} AS m
   WHERE ${since}m._ingested_at < {to:DateTime64(3, 'UTC')}
   ORDER BY m.event_id, m._ingested_at, m._kafka_partition, m._kafka_offset
   LIMIT 1 BY m.event_id`;
}

function scratchName(kind: 'inc' | 'next' | 'tail'): string {
  return `events_distinct_${kind}_${randomUUID().replace(/-/g, '')}`;
}
