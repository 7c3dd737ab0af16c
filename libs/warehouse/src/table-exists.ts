import type { ClickHouseClient } from '@clickhouse/client';

/** Whether `table` exists in the client's current database (the name travels as a parameter). */
export async function tableExists(client: ClickHouseClient, table: string): Promise<boolean> {
  const result = await client.query({
    query: 'EXISTS TABLE {table:Identifier}',
    query_params: { table },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ result: number | string }>();
  return Number(row?.result) === 1;
}
