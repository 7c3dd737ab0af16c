import {
  type QualityAlerts,
  type QualityStore,
  runCheckpoint,
  type Suite,
  trustedTable,
  viewSuite,
} from '@tributary/quality';
import type { Grain, ViewDefinition } from '@tributary/views';
import type { AuditCheck } from './audit';

export interface QualityGateOptions {
  /** Stores every checkpoint run (dq_runs / dq_results); without it nothing is persisted. */
  store?: QualityStore;
  alerts?: QualityAlerts;
  sampleRows?: number;
  /** More suites to gate a view's grain on (e.g. loaded from YAML), beside the generated one. */
  suites?: (view: ViewDefinition, grain: Grain) => readonly Suite[];
}

/**
 * The data-quality gate of write-audit-publish: for each grain of the view, the suite generated
 * from its definition (`viewSuite`: exact columns, view key unique, measures not null, buckets on
 * the grain) runs as checkpoint `publish:<view>:<grain>` against the new Iceberg snapshot —
 * pinned by id — with results stored and alerts raised by @tributary/quality.
 */
export function qualityGate(options: QualityGateOptions = {}): AuditCheck {
  return {
    name: 'dq:view_suites',
    severity: 'error',
    async run(context) {
      if (!/^\d+$/.test(context.outputSnapshot)) {
        throw new Error(`no output snapshot to audit (got '${context.outputSnapshot}')`);
      }
      const failures: string[] = [];
      for (const grain of context.view.grains) {
        const snapshot = `${context.lakeTable}@${context.outputSnapshot}`;
        const table = trustedTable(
          `(SELECT * EXCEPT (grain) REPLACE (toDateTime(bucket, 'UTC') AS bucket)
            FROM ${context.lakeTable} WHERE grain = '${grain}'
            SETTINGS iceberg_snapshot_id = ${context.outputSnapshot})`,
          `${snapshot} (${grain})`,
        );
        const suites = [
          viewSuite(context.view, grain),
          ...(options.suites?.(context.view, grain) ?? []),
        ];
        for (const suite of suites) {
          const result = await runCheckpoint({
            client: context.client,
            suite,
            table,
            checkpoint: `publish:${context.view.name}:${grain}`,
            snapshotId: context.outputSnapshot,
            store: options.store,
            alerts: options.alerts,
            sampleRows: options.sampleRows,
          });
          for (const r of result.results) {
            if (r.status !== 'passed' && r.severity === 'error')
              failures.push(`${grain}: ${suite.name}: ${r.name} — ${r.message}`);
          }
        }
      }
      return {
        passed: failures.length === 0,
        observed: failures.length === 0 ? 'every expectation passed' : failures.join('; '),
        expected: 'every error-severity expectation of the view suites passes',
      };
    },
  };
}
