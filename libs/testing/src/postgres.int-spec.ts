import { Client } from 'pg';
import { createTestDatabase } from './postgres';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe(createTestDatabase.name, () => {
  it('gives each caller its own empty database and drops it afterwards', async () => {
    const first = await createTestDatabase('isolation');
    const second = await createTestDatabase('isolation');
    try {
      expect(first.name).not.toBe(second.name);
      await query(first.url, 'CREATE TABLE only_in_first (id int)');
      const inSecond = await query<{ n: string }>(
        second.url,
        "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'only_in_first'",
      );
      expect(inSecond[0].n).toBe('0');
    } finally {
      await first.drop();
      await second.drop();
    }
    const left = await query<{ datname: string }>(
      first.url.replace(first.name, 'tributary'),
      `SELECT datname FROM pg_database WHERE datname IN ('${first.name}', '${second.name}')`,
    );
    expect(left).toEqual([]);
  });
});
