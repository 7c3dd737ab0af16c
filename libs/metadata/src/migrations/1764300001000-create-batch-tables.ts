import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The batch layer's bookkeeping:
 * - `leases`: one writer per lake table (and one runner per view) — a row per lease with its
 *   holder, a fencing token that grows on every takeover, and an expiry renewed while working.
 * - `lake_commits`: the write-ahead log of the lake writer. A commit is logged `pending` with its
 *   Kafka offset ranges before the Iceberg INSERT and marked `committed` (with the snapshot id)
 *   after it; a pending row found at start-up is resolved by looking for its rows in the lake.
 * - `lake_offsets`: per table and partition, the last offset the lake holds and the newest
 *   `_ingested_at` among those events — where the writer resumes, and how far the lake is complete.
 * - `batch_runs`: every recompute of a view — cut T_b, the input and output snapshot ids, row
 *   counts, checks, outcome and duration (the lineage of each published view).
 * - `view_watermarks`: the published run of each view: the serving API answers batch ∪ real-time
 *   at this cut.
 */
export class CreateBatchTables1764300001000 implements MigrationInterface {
  name = 'CreateBatchTables1764300001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        token bigint NOT NULL,
        expires_at timestamptz NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE lake_commits (
        batch_id uuid PRIMARY KEY,
        table_name text NOT NULL,
        ranges jsonb NOT NULL,
        rows bigint NOT NULL,
        status text NOT NULL,
        snapshot_id text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT lake_commits_status CHECK (status IN ('pending', 'committed', 'void'))
      )`);
    await runner.query(
      `CREATE INDEX lake_commits_pending_idx ON lake_commits (table_name) WHERE status = 'pending'`,
    );
    await runner.query(`
      CREATE TABLE lake_offsets (
        table_name text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        last_offset bigint NOT NULL,
        max_ingested_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (table_name, topic, partition)
      )`);
    await runner.query(`
      CREATE TABLE batch_runs (
        run_id text PRIMARY KEY,
        view_name text NOT NULL,
        mode text NOT NULL,
        cut timestamptz NOT NULL,
        previous_cut timestamptz,
        status text NOT NULL,
        touched_days text[] NOT NULL DEFAULT '{}',
        input_snapshot_id text,
        output_snapshot_id text,
        input_rows bigint,
        output_rows bigint,
        checks jsonb NOT NULL DEFAULT '[]',
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        duration_ms integer,
        CONSTRAINT batch_runs_mode CHECK (mode IN ('incremental', 'full', 'range')),
        CONSTRAINT batch_runs_status CHECK (status IN ('running', 'published', 'blocked', 'failed'))
      )`);
    await runner.query('CREATE INDEX batch_runs_view_idx ON batch_runs (view_name, started_at)');
    await runner.query(`
      CREATE TABLE view_watermarks (
        view_name text PRIMARY KEY,
        cut timestamptz NOT NULL,
        run_id text NOT NULL REFERENCES batch_runs (run_id),
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['view_watermarks', 'batch_runs', 'lake_offsets', 'lake_commits', 'leases'])
      await runner.query(`DROP TABLE ${table}`);
  }
}
