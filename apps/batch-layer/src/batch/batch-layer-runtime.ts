import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TributaryConfig } from '@tributary/config';
import {
  BatchRunner,
  type BatchRunnerOptions,
  BatchStore,
  checkLakeLocation,
  completeThrough,
  type LakeLocation,
  LakeStore,
  Lease,
  MASTER_TABLE,
  qualityGate,
} from '@tributary/lake';
import type { MessageLog } from '@tributary/messaging';
import { type QualityAlerts, QualityStore } from '@tributary/quality';
import type { createWarehouseClient } from '@tributary/warehouse';
import type { DataSource } from 'typeorm';

/**
 * The batch layer's chDB folder in the embedded profile: its own, since chDB binds a folder to one
 * process and `npm start` runs each service as a process (the one-process embedded profile puts
 * every service on one chDB). Distributed: the ClickHouse server the speed layer writes to, so
 * serving copies sit next to the real-time views.
 */
export const BATCH_CHDB_FOLDER = 'chdb-batch';

/** The lake: an S3 prefix when configured, else a folder (relative to the working directory). */
export function lakeLocation(config: TributaryConfig): LakeLocation {
  if (config.lake.s3Url) return { kind: 's3', url: config.lake.s3Url };
  return { kind: 'local', root: config.lake.path ?? join(config.dataDir, 'lake') };
}

/** Settings that only make sense together, checked at start-up with both keys named. */
export function checkBatchSettings(config: TributaryConfig): void {
  if (config.batch.cutLag < config.ingest.publishTimeout) {
    throw new Error(
      `TRIBUTARY_BATCH_CUT_LAG (${config.batch.cutLag} ms) must be at least ` +
        `TRIBUTARY_INGEST_PUBLISH_TIMEOUT (${config.ingest.publishTimeout} ms): an event is ` +
        'stamped before Kafka appends it, by up to the publish timeout',
    );
  }
}

export interface RunnerDeps {
  config: TributaryConfig;
  db: DataSource;
  client: ReturnType<typeof createWarehouseClient>;
  /** The log of the events topic: its end offsets bound a safe cut. */
  log?: MessageLog;
  alerts?: QualityAlerts;
  onBlocked?: BatchRunnerOptions['onBlocked'];
  onStep?: BatchRunnerOptions['onStep'];
}

/** The BatchRunner of the service and of the CLI: quality gate, a lease per view, safe cuts. */
export function createBatchRunner(deps: RunnerDeps): { runner: BatchRunner; store: BatchStore } {
  const { config, db, client, log } = deps;
  const lakeStore = new LakeStore(db);
  const store = new BatchStore(db);
  const runner = new BatchRunner({
    client,
    store,
    location: checkLakeLocation(lakeLocation(config)),
    retainCopies: config.batch.retainCopies,
    leaseFor: (name) => new Lease(db, name, `${process.pid}-${randomUUID()}`, 60_000),
    checks: [
      qualityGate({
        store: new QualityStore(db),
        alerts: deps.alerts,
        sampleRows: config.quality.sampleRows,
      }),
    ],
    completeThrough: async () =>
      completeThrough(
        await lakeStore.progress(MASTER_TABLE),
        log ? await log.endOffsets(config.kafka.eventsTopic) : undefined,
        new Date(),
        config.batch.cutLag,
      ),
    onBlocked: deps.onBlocked,
    onStep: deps.onStep,
  });
  return { runner, store };
}
