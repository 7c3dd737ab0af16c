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

/** How many rows `relation` (a table, view or parenthesized select) holds. */
export async function countRows(client: ClickHouseClient, relation: string): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM ${relation}`,
    format: 'JSONEachRow',
  });
  const [{ n }] = await result.json<{ n: string }>();
  return Number(n);
}
