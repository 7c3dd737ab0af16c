import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { decodeStoredEvent, type EventRow, toEventRow } from '@tributary/warehouse';
import { currentSnapshot, ICEBERG_WRITE } from './iceberg';
import { repairLakeTable } from './iceberg-repair';
import type { LakeLocation } from './lake-location';
import type { CommittedRange, LakeStore } from './lake-store';
import type { Lease } from './lease';
import {
  eventsStagingDdl,
  MASTER_TABLE,
  MASTER_TABLE_CH,
  masterDatasetDdl,
  masterDatasetInsertSelect,
} from './master-dataset';

/** Same shapes as @tributary/messaging's OffsetRange / ConsumedRecord (a PartitionSink). */
export interface LakeRange {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
}
export interface LakeRecord {
  offset: string;
  value: Buffer | null;
}

export interface LakeCommitInfo {
  batchId: string;
  rows: number;
  ranges: number;
  snapshotId: string;
  durationMs: number;
}

export interface LakeWriterOptions {
  client: ClickHouseClient;
  store: LakeStore;
  location: LakeLocation;
  /** Held for as long as the writer runs: one writer per lake table. */
  lease: Lease;
  /** Commit when this many rows wait… */
  commitRows: number;
  /** …or when the oldest waiting row is this old. */
  commitIntervalMs: number;
  onCommit?: (info: LakeCommitInfo) => void;
  /** Records that are not events (the speed layer routes them to the DLQ; the lake skips them). */
  onSkipped?: (count: number, reason: string) => void;
  /** Test hook: runs after the Iceberg commit, before it is recorded (crash injection). */
  afterIcebergCommit?: (batchId: string) => Promise<void> | void;
}

/** One micro-batch being gathered: rows staged in a Memory table until the commit. */
interface Round {
  id: string;
  stage: string;
  ranges: CommittedRange[];
  rows: number;
  done: Promise<void>;
  settle: (error?: unknown) => void;
  timer?: NodeJS.Timeout;
  closed: boolean;
}

/**
 * Appends consumed events to the Iceberg master dataset in micro-batches. A write stages its rows
 * (in a Memory table, cheap) and resolves once they are in an Iceberg commit — so the consumer
 * commits Kafka offsets only after the lake holds the rows. Each commit is one
 * `INSERT … SELECT` (few, big files), logged in Postgres as `pending` with its offset ranges
 * before it runs and `committed` after; after a crash a pending commit is resolved by looking
 * for its rows in the lake, and `storedUpTo` answers from Postgres, so a record is in the lake
 * once whatever moment the crash picked.
 */
export class LakeWriter {
  private round: Round | undefined;
  private commits: Promise<void> = Promise.resolve();
  private needsRecovery = true;

  constructor(private readonly options: LakeWriterOptions) {}

  /** Creates the master dataset when missing and resolves commits a crash left pending. */
  async prepare(): Promise<void> {
    await this.options.client.command({
      query: masterDatasetDdl(this.options.location),
      clickhouse_settings: ICEBERG_WRITE,
    });
    // Catches up on commits a crash left unrepaired (and on tables written before the repair).
    await repairLakeTable(this.options.location, MASTER_TABLE);
    const stale = await this.options.client.query({
      query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'lake\\_stage\\_%'`,
      format: 'JSONEachRow',
    });
    for (const { name } of await stale.json<{ name: string }>()) {
      await this.options.client.command({ query: `DROP TABLE IF EXISTS ${name}` });
    }
    await this.recover();
  }

  async storedUpTo(topic: string, partition: number): Promise<string | undefined> {
    await this.recover();
    const last = await this.options.store.lastOffset(MASTER_TABLE, topic, partition);
    return last?.toString();
  }

  async write(range: LakeRange, records: readonly LakeRecord[]): Promise<void> {
    await this.recover();
    // A retried range whose earlier commit did land (its response was lost) is already stored.
    const stored = await this.options.store.lastOffset(MASTER_TABLE, range.topic, range.partition);
    const rows: EventRow[] = [];
    let maxIngestedAt: string | undefined;
    let skipped = 0;
    for (const record of records) {
      if (stored !== undefined && BigInt(record.offset) <= stored) continue;
      const event = decodeStoredEvent(record.value);
      if (typeof event === 'string') {
        skipped += 1;
        continue;
      }
      rows.push(toEventRow(event, range.partition, record.offset));
      const ingestedAt = String(event._ingested_at);
      if (maxIngestedAt === undefined || Date.parse(ingestedAt) > Date.parse(maxIngestedAt))
        maxIngestedAt = ingestedAt;
    }
    if (skipped > 0) this.options.onSkipped?.(skipped, 'not a stored event');
    const first =
      stored !== undefined && BigInt(range.firstOffset) <= stored
        ? (stored + 1n).toString()
        : range.firstOffset;
    if (BigInt(first) > BigInt(range.lastOffset)) return;
    const round = await this.openRound();
    if (rows.length > 0) {
      await this.options.client.insert({
        table: round.stage,
        values: rows,
        format: 'JSONEachRow',
        clickhouse_settings: { date_time_input_format: 'best_effort' },
      });
    }
    round.ranges.push({ ...range, firstOffset: first, maxIngestedAt });
    round.rows += rows.length;
    if (round.rows >= this.options.commitRows) this.closeRound(round);
    await round.done;
  }

  /**
   * Runs `work` between two commits (never beside one): lake maintenance on the master dataset
   * goes through here, so the table has one writer at a time.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.commits.then(work, work);
    this.commits = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Commits what waits now (used at shutdown). */
  async flush(): Promise<void> {
    if (this.round) this.closeRound(this.round);
    await this.commits;
  }

  private async openRound(): Promise<Round> {
    if (this.round && !this.round.closed) return this.round;
    const id = randomUUID();
    let settle!: (error?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    const round: Round = {
      id,
      stage: `lake_stage_${id.replace(/-/g, '')}`,
      ranges: [],
      rows: 0,
      done,
      settle,
      closed: false,
    };
    this.round = round;
    await this.options.client.command({ query: eventsStagingDdl(round.stage, 'Memory') });
    round.timer = setTimeout(() => this.closeRound(round), this.options.commitIntervalMs);
    return round;
  }

  private closeRound(round: Round): void {
    if (round.closed) return;
    round.closed = true;
    clearTimeout(round.timer);
    if (this.round === round) this.round = undefined;
    // Commits run one at a time: one writer, one commit in flight.
    this.commits = this.commits.then(() =>
      this.commit(round).then(
        () => round.settle(),
        (error: unknown) => {
          this.needsRecovery = true;
          round.settle(error);
        },
      ),
    );
  }

  private async commit(round: Round): Promise<void> {
    const { client, store, lease } = this.options;
    const startedAt = performance.now();
    try {
      if (round.ranges.length === 0) return;
      lease.assert();
      await store.begin(round.id, MASTER_TABLE, round.ranges, round.rows);
      if (round.rows > 0) {
        await client.command({
          query: `INSERT INTO ${MASTER_TABLE_CH} SELECT ${masterDatasetInsertSelect()} FROM ${round.stage}
                  ORDER BY occurred_at LIMIT 1 BY _kafka_partition, _kafka_offset`,
          clickhouse_settings: ICEBERG_WRITE,
        });
        await repairLakeTable(this.options.location, MASTER_TABLE);
      }
      await this.options.afterIcebergCommit?.(round.id);
      const snapshotId = (await currentSnapshot(client, MASTER_TABLE_CH)) ?? '';
      await store.committed(round.id, MASTER_TABLE, round.ranges, snapshotId);
      this.options.onCommit?.({
        batchId: round.id,
        rows: round.rows,
        ranges: round.ranges.length,
        snapshotId,
        durationMs: performance.now() - startedAt,
      });
    } finally {
      await client.command({ query: `DROP TABLE IF EXISTS ${round.stage}` }).catch(() => undefined);
    }
  }

  /**
   * Resolves pending commits: rows of its ranges in the lake → the commit landed (its response
   * was lost, or the process died before recording it); none → it never did, void it (Kafka
   * still has the records, uncommitted).
   */
  private async recover(): Promise<void> {
    if (!this.needsRecovery) return;
    await this.commits.catch(() => undefined);
    const { client, store } = this.options;
    for (const pending of await store.pending(MASTER_TABLE)) {
      let landed = false;
      for (const range of pending.ranges) {
        const result = await client.query({
          query: `SELECT count() AS n FROM ${MASTER_TABLE_CH}
                  WHERE _kafka_partition = {partition:Int32}
                    AND _kafka_offset BETWEEN {first:Int64} AND {last:Int64}`,
          query_params: {
            partition: range.partition,
            first: range.firstOffset,
            last: range.lastOffset,
          },
          format: 'JSONEachRow',
        });
        const [{ n }] = await result.json<{ n: string }>();
        if (n !== '0') landed = true;
      }
      if (landed) {
        const snapshotId = (await currentSnapshot(client, MASTER_TABLE_CH)) ?? '';
        await store.committed(pending.batchId, MASTER_TABLE, pending.ranges, snapshotId);
      } else {
        await store.voided(pending.batchId);
      }
    }
    this.needsRecovery = false;
  }
}
