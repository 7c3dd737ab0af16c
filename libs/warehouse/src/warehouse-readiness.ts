import type { ClickHouseClient } from '@clickhouse/client';

/** Readiness probe for the warehouse: ClickHouse answers a ping (chDB always does). */
export function warehouseReadiness(client: ClickHouseClient) {
  return {
    name: 'clickhouse',
    async check(): Promise<void> {
      const result = await client.ping();
      if (!result.success) throw result.error;
    },
    close: () => client.close(),
  };
}
