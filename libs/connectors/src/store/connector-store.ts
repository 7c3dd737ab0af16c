import type { DataSource } from 'typeorm';
import { ConnectorError } from '../run/connector-error';

/** The committed position of an incremental pull: the watermark value and its tie-breaker. */
export interface Watermark {
  /** As Postgres prints the source column (full precision; never through a JS Date). */
  value: string;
  tieBreaker: string;
}

export interface ConnectorState {
  connector: string;
  watermark: Watermark | undefined;
  updatedAt: Date;
  lastSuccessAt: Date | undefined;
}

export type RunMode = 'scheduled' | 'manual' | 'backfill';
export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface RunCounts {
  read: number;
  published: number;
  rejected: number;
  /** Re-read rows already published (overlap window, a retried attempt) and unchanged files. */
  skipped: number;
}

export interface ConnectorRun extends RunCounts {
  runId: string;
  connector: string;
  correlationId: string;
  mode: RunMode;
  status: RunStatus;
  attempts: number;
  watermarkBefore: string | null;
  watermarkAfter: string | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
}

export interface ProcessedFile {
  path: string;
  size: number;
  checksum: string;
}

interface RunRow {
  run_id: string;
  connector: string;
  correlation_id: string;
  mode: RunMode;
  status: RunStatus;
  attempts: number;
  rows_read: string;
  rows_published: string;
  rows_rejected: string;
  rows_skipped: string;
  watermark_before: string | null;
  watermark_after: string | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
}

/** How to compare stored watermark text in Postgres, per watermark type. */
const CAST = { timestamp: 'timestamptz', integer: 'numeric' } as const;

/**
 * The connectors' metadata in Postgres: committed watermarks, the ids published inside the
 * overlap window, run records and processed files (migration 1764300003000).
 */
export class ConnectorStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Runs `work` while holding the connector's advisory lock (on a connection of its own), so two
   * runs of one connector — two instances, or the CLI beside the service — never interleave.
   */
  async exclusive<T>(connector: string, work: () => Promise<T>): Promise<T> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(
        "SELECT pg_try_advisory_lock(hashtext('tributary.connector'), hashtext($1)) AS locked",
        [connector],
      )) as [{ locked: boolean }];
      if (!locked) {
        throw new ConnectorError(
          'busy',
          `${connector}: another run of this connector is in progress`,
        );
      }
      try {
        return await work();
      } finally {
        await runner.query(
          "SELECT pg_advisory_unlock(hashtext('tributary.connector'), hashtext($1))",
          [connector],
        );
      }
    } finally {
      await runner.release();
    }
  }

  async state(connector: string): Promise<ConnectorState | undefined> {
    const rows: Array<{
      watermark: string | null;
      tie_breaker: string | null;
      updated_at: Date;
      last_success_at: Date | null;
    }> = await this.db.query(
      'SELECT watermark, tie_breaker, updated_at, last_success_at FROM connector_state WHERE connector = $1',
      [connector],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      connector,
      watermark:
        row.watermark === null
          ? undefined
          : { value: row.watermark, tieBreaker: row.tie_breaker ?? '' },
      updatedAt: row.updated_at,
      lastSuccessAt: row.last_success_at ?? undefined,
    };
  }

  /** Of `eventIds`, those already published by this connector (and not pruned yet). */
  async published(connector: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows: Array<{ event_id: string }> = await this.db.query(
      'SELECT event_id FROM connector_published WHERE connector = $1 AND event_id = ANY($2::uuid[])',
      [connector, eventIds],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /** Called only after the bus acknowledged these events (and DLQ records). */
  async markPublished(
    connector: string,
    runId: string,
    events: ReadonlyArray<{ eventId: string; watermark: string }>,
  ): Promise<void> {
    if (events.length === 0) return;
    await this.db.query(
      `INSERT INTO connector_published (connector, event_id, watermark, run_id)
       SELECT $1, e.id, e.wm, $2 FROM unnest($3::uuid[], $4::text[]) AS e(id, wm)
       ON CONFLICT (connector, event_id) DO NOTHING`,
      [connector, runId, events.map((e) => e.eventId), events.map((e) => e.watermark)],
    );
  }

  /**
   * Moves the committed watermark (never backwards) and forgets published ids that fell below the
   * new overlap window, in one transaction; records the success for the freshness SLA.
   */
  async advance(
    connector: string,
    next: Watermark | undefined,
    window: { type: 'timestamp' | 'integer'; overlap: number },
  ): Promise<void> {
    const cast = CAST[window.type];
    // Rows are read in (watermark, tie-breaker) order, so the run's last row is its newest; only a
    // smaller watermark (a backfill, a concurrent older run) must not move the state back.
    const moves = `EXCLUDED.watermark IS NOT NULL AND (connector_state.watermark IS NULL
      OR EXCLUDED.watermark::${cast} >= connector_state.watermark::${cast})`;
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO connector_state (connector, watermark, tie_breaker, last_success_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (connector) DO UPDATE SET
           watermark = CASE WHEN ${moves} THEN EXCLUDED.watermark ELSE connector_state.watermark END,
           tie_breaker = CASE WHEN ${moves} THEN EXCLUDED.tie_breaker ELSE connector_state.tie_breaker END,
           updated_at = now(),
           last_success_at = now()`,
        [connector, next?.value ?? null, next?.tieBreaker ?? null],
      );
      const overlap =
        window.type === 'timestamp' ? `${window.overlap} milliseconds` : window.overlap;
      await tx.query(
        `DELETE FROM connector_published p USING connector_state s
         WHERE p.connector = $1 AND s.connector = $1 AND s.watermark IS NOT NULL
           AND p.watermark::${cast} < s.watermark::${cast} - $2::${window.type === 'timestamp' ? 'interval' : 'numeric'}`,
        [connector, String(overlap)],
      );
    });
  }

  /** Records a success of a run that has no watermark (files), for the freshness SLA. */
  async succeeded(connector: string): Promise<void> {
    await this.db.query(
      `INSERT INTO connector_state (connector, last_success_at) VALUES ($1, now())
       ON CONFLICT (connector) DO UPDATE SET last_success_at = now(), updated_at = now()`,
      [connector],
    );
  }

  /** Forgets the watermark and the published ids: the next run reads the source from the start. */
  async reset(connector: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE connector_state SET watermark = NULL, tie_breaker = NULL, updated_at = now()
         WHERE connector = $1`,
        [connector],
      );
      await tx.query('DELETE FROM connector_published WHERE connector = $1', [connector]);
      await tx.query('DELETE FROM connector_files WHERE connector = $1', [connector]);
    });
  }

  async startRun(run: {
    runId: string;
    connector: string;
    correlationId: string;
    mode: RunMode;
    watermarkBefore: string | null;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO connector_runs (run_id, connector, correlation_id, mode, status, watermark_before)
       VALUES ($1, $2, $3, $4, 'running', $5)`,
      [run.runId, run.connector, run.correlationId, run.mode, run.watermarkBefore],
    );
  }

  async attempt(runId: string, attempt: number): Promise<void> {
    await this.db.query('UPDATE connector_runs SET attempts = $2 WHERE run_id = $1', [
      runId,
      attempt,
    ]);
  }

  async finishRun(
    runId: string,
    outcome: {
      status: 'succeeded' | 'failed';
      counts: RunCounts;
      watermarkAfter: string | null;
      error?: string;
      durationMs: number;
    },
  ): Promise<void> {
    const { counts } = outcome;
    await this.db.query(
      `UPDATE connector_runs SET status = $2, rows_read = $3, rows_published = $4,
         rows_rejected = $5, rows_skipped = $6, watermark_after = $7, error = $8,
         finished_at = now(), duration_ms = $9
       WHERE run_id = $1`,
      [
        runId,
        outcome.status,
        counts.read,
        counts.published,
        counts.rejected,
        counts.skipped,
        outcome.watermarkAfter,
        outcome.error ?? null,
        Math.round(outcome.durationMs),
      ],
    );
  }

  async runs(connector: string, limit = 20): Promise<ConnectorRun[]> {
    const rows: RunRow[] = await this.db.query(
      `SELECT * FROM connector_runs WHERE connector = $1 ORDER BY started_at DESC LIMIT $2`,
      [connector, limit],
    );
    return rows.map((row) => ({
      runId: row.run_id,
      connector: row.connector,
      correlationId: row.correlation_id,
      mode: row.mode,
      status: row.status,
      attempts: row.attempts,
      read: Number(row.rows_read),
      published: Number(row.rows_published),
      rejected: Number(row.rows_rejected),
      skipped: Number(row.rows_skipped),
      watermarkBefore: row.watermark_before,
      watermarkAfter: row.watermark_after,
      error: row.error,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      durationMs: row.duration_ms,
    }));
  }

  async fileProcessed(connector: string, file: ProcessedFile): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM connector_files WHERE connector = $1 AND path = $2 AND size = $3 AND checksum = $4`,
      [connector, file.path, file.size, file.checksum],
    );
    return rows.length > 0;
  }

  /** Called only after every row of the file was acknowledged by the bus. */
  async markFile(
    connector: string,
    runId: string,
    file: ProcessedFile,
    counts: { published: number; rejected: number },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO connector_files (connector, path, size, checksum, rows_published, rows_rejected, run_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [connector, file.path, file.size, file.checksum, counts.published, counts.rejected, runId],
    );
  }
}
