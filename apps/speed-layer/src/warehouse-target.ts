import type { TributaryConfig } from '@tributary/config';
import type { WarehouseTarget } from '@tributary/warehouse';
import { join } from 'node:path';

/** The ClickHouse server in the distributed profile, chDB under the data folder otherwise. */
export function warehouseTarget(config: TributaryConfig): WarehouseTarget {
  if (config.profile === 'distributed' && config.clickhouse.url) {
    return { kind: 'http', url: config.clickhouse.url, password: config.clickhouse.password };
  }
  return { kind: 'embedded', path: join(config.dataDir, 'chdb') };
}
