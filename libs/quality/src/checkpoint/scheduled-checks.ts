import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { tableExists } from '@tributary/warehouse';
import type { QualityAlerts } from '../alerts/quality-alerts';
import type { QualityStore } from '../store/quality-store';
import { loadSuites } from '../suite/parse-suite';
import type { Suite } from '../suite/suite';
import { type CheckpointResult, runCheckpoint } from './run-checkpoint';

/** The suites shipped with the library (libs/quality/suites): the real-time tables' checks. */
export const BUNDLED_SUITES_DIR = join(__dirname, '..', '..', 'suites');

export function bundledSuites(): Suite[] {
  return loadSuites(BUNDLED_SUITES_DIR);
}

export type ScheduledCheckOutcome =
  | { suite: string; table: string; status: 'checked'; result: CheckpointResult }
  | { suite: string; table: string; status: 'skipped'; reason: string };

/**
 * One scheduled checkpoint over several suites, each against the table it names (e.g. the
 * real-time tables every hour). A suite whose table does not exist in this warehouse is skipped
 * with the reason (the embedded batch worker has no `events_rt`), never failed.
 */
export async function runScheduledChecks(options: {
  client: ClickHouseClient;
  suites: readonly Suite[];
  checkpoint: string;
  store?: QualityStore;
  alerts?: QualityAlerts;
  sampleRows?: number;
}): Promise<ScheduledCheckOutcome[]> {
  const outcomes: ScheduledCheckOutcome[] = [];
  for (const suite of options.suites) {
    const table = suite.table;
    if (table === undefined) {
      outcomes.push({ suite: suite.name, table: '', status: 'skipped', reason: 'names no table' });
      continue;
    }
    if (!(await tableExists(options.client, table))) {
      outcomes.push({
        suite: suite.name,
        table,
        status: 'skipped',
        reason: `table ${table} does not exist in this warehouse`,
      });
      continue;
    }
    const result = await runCheckpoint({
      client: options.client,
      suite,
      checkpoint: options.checkpoint,
      store: options.store,
      alerts: options.alerts,
      sampleRows: options.sampleRows,
    });
    outcomes.push({ suite: suite.name, table, status: 'checked', result });
  }
  return outcomes;
}
