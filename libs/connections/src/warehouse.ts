import { join } from 'node:path';
import type { TributaryConfig } from '@tributary/config';
import type { WarehouseTarget } from '@tributary/warehouse';

/**
 * The ClickHouse server in the distributed profile; chDB in a folder under the data folder
 * otherwise (`folder`: chDB binds a folder to one process, so each process names its own until
 * the one-process embedded profile shares one).
 */
export function warehouseTargetFor(config: TributaryConfig, folder = 'chdb'): WarehouseTarget {
  if (config.profile === 'distributed' && config.clickhouse.url) {
    return { kind: 'http', url: config.clickhouse.url, password: config.clickhouse.password };
  }
  return { kind: 'embedded', path: join(config.dataDir, folder) };
}
