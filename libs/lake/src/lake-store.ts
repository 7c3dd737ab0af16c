import type { DataSource } from 'typeorm';

/** A Kafka offset range of one partition, as the lake writer commits it. */
export interface CommittedRange {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  /** Newest `_ingested_at` among the range's events (ISO-8601), when it had any. */
  maxIngestedAt?: string;
}

export interface PartitionProgress {
  topic: string;
  partition: number;
  lastOffset: bigint;
  maxIngestedAt: Date | null;
}

export interface PendingCommit {
  batchId: string;
  ranges: CommittedRange[];
}

/**
 * The lake writer's bookkeeping in Postgres (tables `lake_commits` and `lake_offsets`): a commit
 * is logged `pending` before its Iceberg INSERT and `committed` after it, in one transaction with
 * the per-partition offsets it advances — so where the writer resumes never disagrees with what
 * the lake holds, whatever moment a crash picks.
 */
export class LakeStore {
  constructor(private readonly db: DataSource) {}

  async begin(batchId: string, table: string, ranges: CommittedRange[], rows: number) {
    await this.db.query(
      `INSERT INTO lake_commits (batch_id, table_name, ranges, rows, status)
       VALUES ($1, $2, $3, $4, 'pending')`,
      [batchId, table, JSON.stringify(ranges), rows],
    );
  }

  /** Marks the commit done and advances each partition's offset, atomically. */
  async committed(batchId: string, table: string, ranges: CommittedRange[], snapshotId: string) {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE lake_commits SET status = 'committed', snapshot_id = $2, finished_at = now()
         WHERE batch_id = $1`,
        [batchId, snapshotId],
      );
      for (const range of ranges) {
        await tx.query(
          `INSERT INTO lake_offsets (table_name, topic, partition, last_offset, max_ingested_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (table_name, topic, partition) DO UPDATE SET
             last_offset = GREATEST(lake_offsets.last_offset, EXCLUDED.last_offset),
             max_ingested_at = GREATEST(lake_offsets.max_ingested_at, EXCLUDED.max_ingested_at),
             updated_at = now()`,
          [table, range.topic, range.partition, range.lastOffset, range.maxIngestedAt ?? null],
        );
      }
    });
  }

  /** The commit never reached the lake: its records are still in Kafka, uncommitted. */
  async voided(batchId: string) {
    await this.db.query(
      `UPDATE lake_commits SET status = 'void', finished_at = now() WHERE batch_id = $1`,
      [batchId],
    );
  }

  async pending(table: string): Promise<PendingCommit[]> {
    const rows: Array<{ batch_id: string; ranges: CommittedRange[] }> = await this.db.query(
      `SELECT batch_id, ranges FROM lake_commits WHERE table_name = $1 AND status = 'pending'
       ORDER BY started_at`,
      [table],
    );
    return rows.map((row) => ({ batchId: row.batch_id, ranges: row.ranges }));
  }

  async progress(table: string): Promise<PartitionProgress[]> {
    const rows: Array<{
      topic: string;
      partition: number;
      last_offset: string;
      max_ingested_at: Date | null;
    }> = await this.db.query(
      `SELECT topic, partition, last_offset, max_ingested_at FROM lake_offsets
       WHERE table_name = $1 ORDER BY topic, partition`,
      [table],
    );
    return rows.map((row) => ({
      topic: row.topic,
      partition: row.partition,
      lastOffset: BigInt(row.last_offset),
      maxIngestedAt: row.max_ingested_at,
    }));
  }

  async lastOffset(table: string, topic: string, partition: number): Promise<bigint | undefined> {
    const rows: Array<{ last_offset: string }> = await this.db.query(
      `SELECT last_offset FROM lake_offsets WHERE table_name = $1 AND topic = $2 AND partition = $3`,
      [table, topic, partition],
    );
    return rows.length === 0 ? undefined : BigInt(rows[0].last_offset);
  }
}
