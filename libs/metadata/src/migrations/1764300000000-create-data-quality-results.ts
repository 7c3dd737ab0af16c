import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data-quality results (libs/quality): one `dq_runs` row per checkpoint run of a suite against a
 * table — with the table's snapshot id when the caller gave one (the batch layer's write-audit-
 * publish gate does) — and one `dq_results` row per expectation, with what was observed and a few
 * failing rows. Rows are written once and never updated; history is read newest first per suite.
 */
export class CreateDataQualityResults1764300000000 implements MigrationInterface {
  name = 'CreateDataQualityResults1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dq_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        suite text NOT NULL,
        checkpoint text NOT NULL,
        table_name text NOT NULL,
        snapshot_id text,
        passed boolean NOT NULL,
        success_rate double precision NOT NULL,
        expectations integer NOT NULL,
        failed integer NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        CONSTRAINT dq_runs_success_rate_range CHECK (success_rate >= 0 AND success_rate <= 1),
        CONSTRAINT dq_runs_failed_range CHECK (failed >= 0 AND failed <= expectations)
      )`);
    await runner.query(
      'CREATE INDEX dq_runs_suite_checkpoint_idx ON dq_runs (suite, checkpoint, started_at DESC)',
    );
    await runner.query('CREATE INDEX dq_runs_started_at_idx ON dq_runs (started_at DESC)');
    await runner.query(`
      CREATE TABLE dq_results (
        run_id uuid NOT NULL,
        position integer NOT NULL,
        expectation text NOT NULL,
        type text NOT NULL,
        severity text NOT NULL,
        status text NOT NULL,
        mostly double precision NOT NULL,
        observed jsonb,
        evaluated_rows bigint,
        failing_rows bigint,
        samples jsonb NOT NULL DEFAULT '[]',
        details jsonb NOT NULL DEFAULT '{}',
        message text NOT NULL,
        duration_ms integer NOT NULL,
        CONSTRAINT dq_results_pkey PRIMARY KEY (run_id, position),
        CONSTRAINT dq_results_run_fk FOREIGN KEY (run_id) REFERENCES dq_runs (id) ON DELETE CASCADE,
        CONSTRAINT dq_results_expectation_key UNIQUE (run_id, expectation),
        CONSTRAINT dq_results_severity_check CHECK (severity IN ('error', 'warn')),
        CONSTRAINT dq_results_status_check CHECK (status IN ('passed', 'failed', 'error'))
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE dq_results');
    await runner.query('DROP TABLE dq_runs');
  }
}
