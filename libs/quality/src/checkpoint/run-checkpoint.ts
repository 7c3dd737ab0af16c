import type { QualityAlerts } from '../alerts/quality-alerts';
import type { StoredRunLike } from '../alerts/slack-payload';
import { runSuite, type RunSuiteOptions } from '../run/run-suite';
import type { QualityStore } from '../store/quality-store';

export interface RunCheckpointOptions extends RunSuiteOptions {
  /** Why this run happens, e.g. `publish:revenue_by_currency`, `realtime-hourly`. */
  readonly checkpoint: string;
  /** The snapshot of the checked table (e.g. the Iceberg snapshot id being published). */
  readonly snapshotId?: string | number | bigint;
  /** Stores the run and its results in Postgres; without it nothing is persisted (`runId` null). */
  readonly store?: QualityStore;
  /** Metrics, log and webhook; see QualityAlerts. */
  readonly alerts?: QualityAlerts;
}

/** The answer of a checkpoint: `passed` is false iff an error-severity expectation failed. */
export type CheckpointResult = StoredRunLike & { readonly runId: string | null };

/**
 * A named run of a suite against a table — the batch layer's write-audit-publish gate, a
 * scheduled check of a real-time table, a source freshness check. Runs the suite, stores the
 * run (when a store is given) and alerts (when alerts are given). Publish only if `passed`.
 * A failure to store propagates: a gate must not open on results nobody recorded.
 */
export async function runCheckpoint(options: RunCheckpointOptions): Promise<CheckpointResult> {
  const result = await runSuite(options);
  const snapshotId = options.snapshotId === undefined ? null : String(options.snapshotId);
  const stored = options.store
    ? await options.store.saveRun({ checkpoint: options.checkpoint, snapshotId, result })
    : { ...result, id: null, checkpoint: options.checkpoint, snapshotId };
  await options.alerts?.notify(stored);
  return { ...stored, runId: stored.id };
}

export type PublishOutcome<T> =
  | { readonly published: true; readonly value: T; readonly checkpoint: CheckpointResult }
  | { readonly published: false; readonly checkpoint: CheckpointResult };

/**
 * The audit step of write-audit-publish: runs the checkpoint on the written (not yet published)
 * table and calls `publish` only when it passed, i.e. no error-severity expectation failed.
 */
export async function auditThenPublish<T>(
  options: RunCheckpointOptions & {
    readonly publish: (checkpoint: CheckpointResult) => Promise<T>;
  },
): Promise<PublishOutcome<T>> {
  const { publish, ...rest } = options;
  const checkpoint = await runCheckpoint(rest);
  if (!checkpoint.passed) return { published: false, checkpoint };
  return { published: true, value: await publish(checkpoint), checkpoint };
}
