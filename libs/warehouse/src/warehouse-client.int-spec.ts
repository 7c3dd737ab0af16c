import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir } from '@tributary/testing';
import { createWarehouseClient } from './warehouse-client';

describe(createWarehouseClient.name, () => {
  describe('embedded (chDB)', () => {
    let dataDir: TempDir;
    let client: ClickHouseClient;

    beforeAll(() => {
      dataDir = tempDir('warehouse');
      client = createWarehouseClient({ kind: 'embedded', path: dataDir.path });
    });

    afterAll(async () => {
      await client.close();
      dataDir.remove();
    });

    it('creates a MergeTree table, inserts rows and reads them back with a query parameter', async () => {
      await client.command({
        query: `CREATE TABLE IF NOT EXISTS probe_events (
                  event_id UUID, type LowCardinality(String), amount Float64, occurred_at DateTime64(3, 'UTC')
                ) ENGINE = MergeTree ORDER BY (type, occurred_at)`,
      });
      await client.insert({
        table: 'probe_events',
        format: 'JSONEachRow',
        values: [
          {
            event_id: '00000000-0000-4000-8000-000000000001',
            type: 'order.placed',
            amount: 12.5,
            occurred_at: '2026-11-26 10:00:00.000',
          },
          {
            event_id: '00000000-0000-4000-8000-000000000002',
            type: 'order.placed',
            amount: 7.5,
            occurred_at: '2026-11-26 10:05:00.000',
          },
          {
            event_id: '00000000-0000-4000-8000-000000000003',
            type: 'page.viewed',
            amount: 0,
            occurred_at: '2026-11-26 10:06:00.000',
          },
        ],
      });

      const result = await client.query({
        query: `SELECT count() AS events, sum(amount) AS revenue
                FROM probe_events WHERE type = {type:String}`,
        query_params: { type: 'order.placed' },
        format: 'JSONEachRow',
      });

      expect(await result.json()).toEqual([{ events: '2', revenue: 20 }]);
    });

    it('keeps a value passed as a parameter out of the SQL text', async () => {
      const hostile = "x' OR 1=1 --";
      const result = await client.query({
        query: 'SELECT count() AS n FROM probe_events WHERE type = {type:String}',
        query_params: { type: hostile },
        format: 'JSONEachRow',
      });
      expect(await result.json()).toEqual([{ n: '0' }]);
    });
    it('scopes per-query settings to their query, as a server does', async () => {
      const setting = async (settings: Record<string, string | number> = {}) => {
        const result = await client.query({
          query:
            "SELECT getSetting('max_threads') AS threads, getSetting('insert_deduplication_token') AS token",
          format: 'JSONEachRow',
          clickhouse_settings: settings,
        });
        return (await result.json())[0];
      };
      const defaults = await setting();
      expect(await setting({ max_threads: 1, insert_deduplication_token: 'range-1' })).toEqual({
        threads: 1,
        token: 'range-1',
      });
      expect(await setting()).toEqual(defaults);
      await client.command({ query: 'SELECT 1', clickhouse_settings: { max_threads: 1 } });
      await client.insert({
        table: 'probe_events',
        values: [],
        format: 'JSONEachRow',
      });
      expect(await setting()).toEqual(defaults);
    });
    it('keeps the settings of queries running at the same time apart', async () => {
      const seen = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const threads = i % 3 === 0 ? undefined : (i % 4) + 1;
          const result = await client.query({
            query:
              "SELECT getSetting('max_threads') AS threads, sleepEachRow(0.002) FROM numbers(5)",
            format: 'JSONEachRow',
            clickhouse_settings: threads === undefined ? {} : { max_threads: threads },
          });
          const rows = await result.json<{ threads: number }>();
          return { threads, got: rows[0]?.threads };
        }),
      );
      const defaults = seen.find((s) => s.threads === undefined)?.got;
      for (const { threads, got } of seen) expect(got).toBe(threads ?? defaults);
      expect(new Set(seen.map((s) => s.got)).size).toBeGreaterThan(1);
    });
  });
});
