import { join } from 'node:path';
import type { TributaryConfig } from '@tributary/config';
import type { LakeLocation } from '@tributary/lake';
import type { WarehouseTarget } from '@tributary/warehouse';

/**
 * Where the batch layer's warehouse lives. Distributed: the ClickHouse server the speed layer
 * writes to, so serving copies sit next to the real-time views. Embedded: a chDB folder of its
 * own — chDB binds a data folder to one process, and `npm start` runs each service as a process
 * (the one-process embedded profile puts every service on one chDB).
 */
export function batchWarehouse(config: TributaryConfig): WarehouseTarget {
  if (config.profile === 'distributed' && config.clickhouse.url) {
    return { kind: 'http', url: config.clickhouse.url, password: config.clickhouse.password };
  }
  return { kind: 'embedded', path: join(config.dataDir, 'chdb-batch') };
}

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
