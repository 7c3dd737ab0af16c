import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The batch connectors' bookkeeping (libs/connectors):
 * - `connector_state`: per connector, the last committed watermark (and tie-breaker value) of an
 *   incremental pull, and when a run last succeeded (the freshness SLA reads it). It moves only
 *   after the rows up to it were acknowledged by the bus.
 * - `connector_published`: the event ids a connector already published whose watermark is still
 *   inside its overlap window — rows re-read there (late commits, retried runs) are skipped by id,
 *   so each row version goes out once. Pruned as the watermark moves on.
 * - `connector_runs`: one row per run: mode, outcome, attempts, rows read / published / rejected /
 *   skipped, watermark before and after, duration and the error of a failed run.
 * - `connector_files`: the files a files connector processed, by path, size and checksum; a file
 *   dropped again unchanged is skipped.
 */
export class CreateConnectorTables1764300003000 implements MigrationInterface {
  name = 'CreateConnectorTables1764300003000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE connector_state (
        connector text PRIMARY KEY,
        watermark text,
        tie_breaker text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_success_at timestamptz
      )`);
    await runner.query(`
      CREATE TABLE connector_published (
        connector text NOT NULL,
        event_id uuid NOT NULL,
        watermark text NOT NULL,
        run_id uuid NOT NULL,
        PRIMARY KEY (connector, event_id)
      )`);
    await runner.query(`
      CREATE TABLE connector_runs (
        run_id uuid PRIMARY KEY,
        connector text NOT NULL,
        correlation_id text NOT NULL,
        mode text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        rows_read bigint NOT NULL DEFAULT 0,
        rows_published bigint NOT NULL DEFAULT 0,
        rows_rejected bigint NOT NULL DEFAULT 0,
        rows_skipped bigint NOT NULL DEFAULT 0,
        watermark_before text,
        watermark_after text,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        duration_ms integer,
        CONSTRAINT connector_runs_mode CHECK (mode IN ('scheduled', 'manual', 'backfill')),
        CONSTRAINT connector_runs_status CHECK (status IN ('running', 'succeeded', 'failed'))
      )`);
    await runner.query(
      'CREATE INDEX connector_runs_connector_idx ON connector_runs (connector, started_at)',
    );
    await runner.query(`
      CREATE TABLE connector_files (
        connector text NOT NULL,
        path text NOT NULL,
        size bigint NOT NULL,
        checksum text NOT NULL,
        rows_published bigint NOT NULL,
        rows_rejected bigint NOT NULL,
        run_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, path, size, checksum)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'connector_files',
      'connector_runs',
      'connector_published',
      'connector_state',
    ])
      await runner.query(`DROP TABLE ${table}`);
  }
}
