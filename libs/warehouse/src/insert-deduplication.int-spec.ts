import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir } from '@tributary/testing';
import { createWarehouseClient } from './warehouse-client';

/**
 * What the speed layer's exactly-once sink rests on (ARCHITECTURE G2), checked on the embedded
 * engine: a MergeTree with `non_replicated_deduplication_window` drops a repeated insert that
 * carries the same `insert_deduplication_token` — also when its rows come in another order — and
 * a materialized view drops it too only when its target table has the same setting.
 */
describe('insert_deduplication_token', () => {
  let dataDir: TempDir;
  let client: ClickHouseClient;

  async function count(query: string): Promise<string> {
    const [row] = await (
      await client.query({ query, format: 'JSONEachRow' })
    ).json<{ n: string }>();
    return row?.n ?? '';
  }

  async function insert(ids: number[], token: string): Promise<void> {
    await client.insert({
      table: 'probe_events',
      values: ids.map((id) => ({ id })),
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: token },
    });
  }

  beforeAll(async () => {
    dataDir = tempDir('warehouse-dedup');
    client = createWarehouseClient({ kind: 'embedded', path: dataDir.path });
    const window = 'SETTINGS non_replicated_deduplication_window = 100';
    await client.command({
      query: `CREATE TABLE probe_events (id UInt32) ENGINE = MergeTree ORDER BY id ${window}`,
    });
    for (const [target, settings] of [
      ['probe_with_window', window],
      ['probe_without_window', ''],
    ] as const) {
      await client.command({
        query: `CREATE TABLE ${target} (n AggregateFunction(count)) ENGINE = AggregatingMergeTree ORDER BY tuple() ${settings}`,
      });
      await client.command({
        query: `CREATE MATERIALIZED VIEW mv_${target} TO ${target} AS SELECT countState() AS n FROM probe_events`,
      });
    }
    await insert([1, 2, 3], 'topic:0:0-2');
    await insert([3, 2, 1], 'topic:0:0-2');
    await insert([4, 5], 'topic:0:3-4');
  });

  afterAll(async () => {
    await client.close();
    dataDir.remove();
  });

  it('drops the repeat in the table, even with its rows in another order', async () => {
    await expect(count('SELECT count() AS n FROM probe_events')).resolves.toBe('5');
  });

  it('drops the repeat in a materialized view whose target has the dedup window', async () => {
    await expect(count('SELECT countMerge(n) AS n FROM probe_with_window')).resolves.toBe('5');
  });

  it('counts the repeat twice in a materialized view whose target lacks the dedup window', async () => {
    await expect(count('SELECT countMerge(n) AS n FROM probe_without_window')).resolves.toBe('8');
  });
});
