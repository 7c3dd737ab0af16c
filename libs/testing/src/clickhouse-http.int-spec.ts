import { createClient } from '@clickhouse/client';
import { startClickHouseHttp } from './clickhouse-http';
import { tempDir } from './temp-dir';

describe(startClickHouseHttp.name, () => {
  it('serves what @clickhouse/client sends, goes away and comes back on the same data', async () => {
    const dir = tempDir('clickhouse-http');
    const server = await startClickHouseHttp(dir.path);
    const client = createClient({
      url: server.url,
      clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
    });
    try {
      expect((await client.ping()).success).toBe(true);
      await client.command({
        query: 'CREATE TABLE t (id UInt64, name String) ENGINE = MergeTree ORDER BY id',
      });
      await client.insert({
        table: 't',
        values: [
          { id: 1, name: "it's" },
          { id: 2, name: 'b' },
        ],
        format: 'JSONEachRow',
      });
      const read = async () =>
        (
          await client.query({
            query:
              'SELECT id, name FROM t WHERE id IN {ids:Array(UInt64)} AND name != {not:String} ORDER BY id',
            query_params: { ids: [1, 2, 3], not: "x'y" },
            format: 'JSONEachRow',
          })
        ).json();
      await expect(read()).resolves.toEqual([
        { id: '1', name: "it's" },
        { id: '2', name: 'b' },
      ]);
      await expect(client.query({ query: 'SELECT nope FROM t' })).rejects.toThrow(/nope/);

      await server.stop();
      expect((await client.ping()).success).toBe(false);
      await expect(read()).rejects.toThrow();
      await server.restart();
      await expect(read()).resolves.toHaveLength(2);
    } finally {
      await client.close();
      await server.close();
      dir.remove();
    }
  });
});
