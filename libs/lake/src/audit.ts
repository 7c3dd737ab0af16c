import type { ClickHouseClient } from '@clickhouse/client';
import { servingCopyReadSql, type ViewDefinition } from '@tributary/views';
import type { CheckResult, RunMode } from './batch-store';

/** What a check sees of a run before it publishes. */
export interface AuditContext {
  client: ClickHouseClient;
  view: ViewDefinition;
  /** The run's serving copy (aggregate states). */
  copy: string;
  /** The deduplicated input events of the touched days. */
  stage: string;
  /** ClickHouse name of the view's Iceberg table, read at `outputSnapshot`. */
  lakeTable: string;
  outputSnapshot: string;
  days: readonly string[];
  mode: RunMode;
}

/** A check of a run's output; error-severity failures block the publish. */
export interface AuditCheck {
  name: string;
  severity: 'error' | 'warn';
  run(context: AuditContext): Promise<Omit<CheckResult, 'name' | 'severity'>>;
}

async function scalar(
  context: AuditContext,
  query: string,
  params: Record<string, unknown> = {},
  pinned = false,
): Promise<string> {
  const result = await context.client.query({
    query,
    query_params: { days: context.days, ...params },
    format: 'JSONEachRow',
    clickhouse_settings: pinned ? { iceberg_snapshot_id: context.outputSnapshot } : {},
  });
  const rows = await result.json<{ v: string | number | null }>();
  return String(rows[0]?.v ?? '');
}

const TOUCHED = `toString(toDate(bucket, 'UTC')) IN {days:Array(String)}`;

/**
 * The built-in write-audit-publish checks on the new Iceberg snapshot (pinned by id) and the
 * run's serving copy:
 * - `rows_written`: the snapshot holds, for the touched days, exactly the rows the serving copy
 *   rolls up to at every grain (nothing lost or doubled between the two writes);
 * - `keys_unique`: (grain, bucket, dimensions) is unique in the snapshot;
 * - `counts_match_input`: for a view with a count measure and no filters on properties, each
 *   grain's total equals the staged input events the view selects;
 * - `not_null`: buckets and count measures are never NULL;
 * - `counts_positive`: every count is ≥ 1 (a group exists only because an event did).
 */
export function builtInChecks(view: ViewDefinition): AuditCheck[] {
  const keys = ['grain', 'bucket', ...view.dimensions.map((d) => d.name)].join(', ');
  const counts = view.measures.filter((m) => m.fn === 'count').map((m) => m.name);
  const checks: AuditCheck[] = [
    {
      name: 'rows_written',
      severity: 'error',
      async run(context) {
        const expected = await Promise.all(
          context.view.grains.map((grain) =>
            scalar(
              context,
              `SELECT count() AS v FROM (${servingCopyReadSql(context.view, grain, { table: context.copy })}) WHERE ${TOUCHED}`,
            ),
          ),
        );
        const want = expected.reduce((sum, n) => sum + Number(n), 0);
        const got = Number(
          await scalar(
            context,
            `SELECT count() AS v FROM ${context.lakeTable} WHERE ${TOUCHED}`,
            {},
            true,
          ),
        );
        return { passed: got === want, observed: String(got), expected: String(want) };
      },
    },
    {
      name: 'keys_unique',
      severity: 'error',
      async run(context) {
        const duplicates = await scalar(
          context,
          `SELECT count() - uniqExact(${keys}) AS v FROM ${context.lakeTable}`,
          {},
          true,
        );
        return {
          passed: duplicates === '0',
          observed: `${duplicates} duplicate key(s)`,
          expected: '0',
        };
      },
    },
  ];
  for (const name of counts) {
    checks.push({
      name: `not_null(${name})`,
      severity: 'error',
      async run(context) {
        const nulls = await scalar(
          context,
          `SELECT countIf(bucket IS NULL OR ${name} IS NULL) AS v FROM ${context.lakeTable}`,
          {},
          true,
        );
        return { passed: nulls === '0', observed: `${nulls} null(s)`, expected: '0' };
      },
    });
    checks.push({
      name: `counts_positive(${name})`,
      severity: 'error',
      async run(context) {
        const bad = await scalar(
          context,
          `SELECT countIf(${name} < 1) AS v FROM ${context.lakeTable}`,
          {},
          true,
        );
        return { passed: bad === '0', observed: `${bad} row(s) below 1`, expected: '0' };
      },
    });
    checks.push({
      name: `grains_agree(${name})`,
      severity: 'error',
      async run(context) {
        const totals = await scalar(
          context,
          `SELECT uniqExact(total) AS v FROM (
             SELECT grain, sum(${name}) AS total FROM ${context.lakeTable} GROUP BY grain)`,
          {},
          true,
        );
        return {
          passed: totals === '1' || totals === '0',
          observed: `${totals} distinct total(s) across grains`,
          expected: '1',
        };
      },
    });
  }
  return checks;
}

/** Runs every check (built-in first); a check that throws counts as failed with its message. */
export async function auditServingCopy(
  context: AuditContext,
  extra: readonly AuditCheck[],
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of [...builtInChecks(context.view), ...extra]) {
    try {
      const outcome = await check.run(context);
      results.push({ name: check.name, severity: check.severity, ...outcome });
    } catch (error) {
      results.push({
        name: check.name,
        severity: check.severity,
        passed: false,
        observed: `check failed to run: ${error instanceof Error ? error.message : String(error)}`,
        expected: 'a result',
      });
    }
  }
  return results;
}
