import type { DataSource } from 'typeorm';

export type RunMode = 'incremental' | 'full' | 'range';
export type RunStatus = 'running' | 'published' | 'blocked' | 'failed';

export interface CheckResult {
  name: string;
  severity: 'error' | 'warn';
  passed: boolean;
  observed: string;
  expected: string;
}

export interface BatchRun {
  runId: string;
  view: string;
  mode: RunMode;
  cut: Date;
  previousCut: Date | null;
  status: RunStatus;
  touchedDays: string[];
  inputSnapshotId: string | null;
  outputSnapshotId: string | null;
  inputRows: number | null;
  outputRows: number | null;
  checks: CheckResult[];
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
}

export interface ViewWatermark {
  view: string;
  cut: Date;
  runId: string;
  publishedAt: Date;
}

interface RunRow {
  run_id: string;
  view_name: string;
  mode: RunMode;
  cut: Date;
  previous_cut: Date | null;
  status: RunStatus;
  touched_days: string[];
  input_snapshot_id: string | null;
  output_snapshot_id: string | null;
  input_rows: string | null;
  output_rows: string | null;
  checks: CheckResult[];
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
}

function toRun(row: RunRow): BatchRun {
  return {
    runId: row.run_id,
    view: row.view_name,
    mode: row.mode,
    cut: row.cut,
    previousCut: row.previous_cut,
    status: row.status,
    touchedDays: row.touched_days,
    inputSnapshotId: row.input_snapshot_id,
    outputSnapshotId: row.output_snapshot_id,
    inputRows: row.input_rows === null ? null : Number(row.input_rows),
    outputRows: row.output_rows === null ? null : Number(row.output_rows),
    checks: row.checks,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
  };
}

/**
 * Batch runs and view watermarks in Postgres (`batch_runs`, `view_watermarks`): the lineage of
 * every view, and the one row per view the serving API reads to know which batch result is live
 * and at which cut. Publishing is one transaction, keyed by run id, so it is idempotent.
 */
export class BatchStore {
  constructor(private readonly db: DataSource) {}

  async run(runId: string): Promise<BatchRun | undefined> {
    const rows: RunRow[] = await this.db.query(`SELECT * FROM batch_runs WHERE run_id = $1`, [
      runId,
    ]);
    return rows[0] && toRun(rows[0]);
  }

  async runs(view?: string, limit = 50): Promise<BatchRun[]> {
    const rows: RunRow[] = await this.db.query(
      `SELECT * FROM batch_runs WHERE $1::text IS NULL OR view_name = $1
       ORDER BY started_at DESC LIMIT $2`,
      [view ?? null, limit],
    );
    return rows.map(toRun);
  }

  async start(run: {
    runId: string;
    view: string;
    mode: RunMode;
    cut: Date;
    previousCut: Date | null;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO batch_runs (run_id, view_name, mode, cut, previous_cut, status)
       VALUES ($1, $2, $3, $4, $5, 'running')
       ON CONFLICT (run_id) DO UPDATE SET status = 'running', started_at = now(), error = NULL
       WHERE batch_runs.status <> 'published'`,
      [run.runId, run.view, run.mode, run.cut, run.previousCut],
    );
  }

  async update(
    runId: string,
    fields: Partial<
      Pick<
        BatchRun,
        | 'touchedDays'
        | 'inputSnapshotId'
        | 'outputSnapshotId'
        | 'inputRows'
        | 'outputRows'
        | 'checks'
      >
    >,
  ): Promise<void> {
    await this.db.query(
      `UPDATE batch_runs SET
         touched_days = COALESCE($2, touched_days),
         input_snapshot_id = COALESCE($3, input_snapshot_id),
         output_snapshot_id = COALESCE($4, output_snapshot_id),
         input_rows = COALESCE($5, input_rows),
         output_rows = COALESCE($6, output_rows),
         checks = COALESCE($7, checks)
       WHERE run_id = $1`,
      [
        runId,
        fields.touchedDays ?? null,
        fields.inputSnapshotId ?? null,
        fields.outputSnapshotId ?? null,
        fields.inputRows ?? null,
        fields.outputRows ?? null,
        fields.checks === undefined ? null : JSON.stringify(fields.checks),
      ],
    );
  }

  async finish(runId: string, status: 'blocked' | 'failed', error?: string): Promise<void> {
    await this.db.query(
      `UPDATE batch_runs SET status = $2, error = $3, finished_at = now(),
         duration_ms = (extract(epoch from now() - started_at) * 1000)::int
       WHERE run_id = $1 AND status = 'running'`,
      [runId, status, error ?? null],
    );
  }

  /** Marks the run published and makes it the view's live batch result, in one transaction. */
  async publish(runId: string, view: string, cut: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE batch_runs SET status = 'published', finished_at = now(),
           duration_ms = (extract(epoch from now() - started_at) * 1000)::int
         WHERE run_id = $1`,
        [runId],
      );
      await tx.query(
        `INSERT INTO view_watermarks (view_name, cut, run_id) VALUES ($1, $2, $3)
         ON CONFLICT (view_name) DO UPDATE SET cut = EXCLUDED.cut, run_id = EXCLUDED.run_id,
           published_at = now()
         WHERE view_watermarks.cut <= EXCLUDED.cut`,
        [view, cut, runId],
      );
    });
  }

  async watermark(view: string): Promise<ViewWatermark | undefined> {
    const rows: Array<{ view_name: string; cut: Date; run_id: string; published_at: Date }> =
      await this.db.query(`SELECT * FROM view_watermarks WHERE view_name = $1`, [view]);
    const row = rows[0];
    return (
      row && { view: row.view_name, cut: row.cut, runId: row.run_id, publishedAt: row.published_at }
    );
  }

  async watermarks(): Promise<ViewWatermark[]> {
    const rows: Array<{ view_name: string; cut: Date; run_id: string; published_at: Date }> =
      await this.db.query(`SELECT * FROM view_watermarks ORDER BY view_name`);
    return rows.map((row) => ({
      view: row.view_name,
      cut: row.cut,
      runId: row.run_id,
      publishedAt: row.published_at,
    }));
  }

  /** The last published run of a view at or before `at` (time travel by timestamp). */
  async publishedAsOf(view: string, at: Date): Promise<BatchRun | undefined> {
    const rows: RunRow[] = await this.db.query(
      `SELECT * FROM batch_runs WHERE view_name = $1 AND status = 'published' AND finished_at <= $2
       ORDER BY finished_at DESC LIMIT 1`,
      [view, at],
    );
    return rows[0] && toRun(rows[0]);
  }
}
