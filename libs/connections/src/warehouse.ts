import { join } from 'node:path';
import type { TributaryConfig } from '@tributary/config';
import type { WarehouseTarget } from '@tributary/warehouse';

const SHARED_FOLDER = 'chdb';
let oneProcess = false;

/**
 * Called by the one-process pipeline before its services start: from then on every service of
 * this process opens the same chDB folder, so the serving API reads the batch layer's copies
 * beside the speed layer's real-time tables.
 */
export function shareEmbeddedWarehouse(): void {
  oneProcess = true;
}

/**
 * The ClickHouse server in the distributed profile; chDB in a folder under the data folder
 * otherwise. `folder`: chDB binds a folder to one process, so a service run as its own process
 * names its own (the batch layer's CLI and service must not collide); in the one-process pipeline
 * all share one.
 */
export function warehouseTargetFor(
  config: TributaryConfig,
  folder = SHARED_FOLDER,
): WarehouseTarget {
  if (config.profile === 'distributed' && config.clickhouse.url) {
    return { kind: 'http', url: config.clickhouse.url, password: config.clickhouse.password };
  }
  return { kind: 'embedded', path: join(config.dataDir, oneProcess ? SHARED_FOLDER : folder) };
}
