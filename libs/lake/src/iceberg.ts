import type { ClickHouseClient } from '@clickhouse/client';

/** Settings every write to an Iceberg table through ClickHouse needs. */
export const ICEBERG_WRITE = { allow_insert_into_iceberg: 1 } as const;

/**
 * The current snapshot of an Iceberg table ClickHouse knows as `table` (`system.iceberg_history`),
 * or undefined for a table without snapshots yet.
 */
export async function currentSnapshot(
  client: ClickHouseClient,
  table: string,
): Promise<string | undefined> {
  const result = await client.query({
    query: `SELECT toString(snapshot_id) AS id FROM system.iceberg_history
            WHERE database = currentDatabase() AND table = {table:String} AND is_current_ancestor
            ORDER BY made_current_at DESC, snapshot_id LIMIT 1`,
    query_params: { table },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ id: string }>();
  return rows[0]?.id;
}
