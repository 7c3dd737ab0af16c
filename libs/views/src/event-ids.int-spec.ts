import type { ClickHouseClient } from '@clickhouse/client';
import type { StoredEvent } from '@tributary/contracts';
import { tempDir, type TempDir } from '@tributary/testing';
import {
  applyWarehouseMigrations,
  createWarehouseClient,
  EventsRtSink,
} from '@tributary/warehouse';
import { randomUUID } from 'node:crypto';
import { EVENT_IDS_TABLE } from './compile/event-ids-ddl';
import { EVENTS_TABLE } from './compile/events-table-ddl';
import { DEFAULT_VIEWS } from './defaults/default-views';
import { toEventsRtRow } from './events-rt-row';
import { realtimeMigrations } from './migrations/realtime-migrations';

const HOUR = 3_600_000;

function storedEvent(ingestedHoursAgo: number): StoredEvent {
  const ingested = new Date(Date.now() - ingestedHoursAgo * HOUR).toISOString();
  return {
    event_id: randomUUID(),
    type: 'page.viewed',
    schema_version: 1,
    occurred_at: ingested,
    subject_id: 'user-1',
    properties: { path: '/' },
    _ingested_at: ingested,
    _source: 'web',
    _correlation_id: 'c',
    _schema_version: 1,
  };
}

/** The speed layer's id table from the real DDL: added to a deployment that predates it. */
describe(`${EVENT_IDS_TABLE} on chDB`, () => {
  let dataDir: TempDir;
  let client: ClickHouseClient;

  const idsByPartition = async () => {
    const result = await client.query({
      query: `SELECT partition, toString(event_id) AS id FROM ${EVENT_IDS_TABLE} ORDER BY partition, id`,
      format: 'JSONEachRow',
    });
    return result.json<{ partition: number; id: string }>();
  };
  const expected = (rows: [number, StoredEvent][]) =>
    rows
      .map(([partition, e]) => ({ partition, id: e.event_id }))
      .sort((a, b) => a.partition - b.partition || (a.id < b.id ? -1 : 1));

  beforeAll(() => {
    dataDir = tempDir('views-event-ids');
    client = createWarehouseClient({ kind: 'embedded', path: dataDir.path });
  });

  afterAll(async () => {
    await client.close();
    dataDir.remove();
  });

  it('back-fills the ids of events_rt inside the window, which the sink then finds', async () => {
    const before = realtimeMigrations(DEFAULT_VIEWS).filter(
      (m) => !m.version.startsWith(`${EVENT_IDS_TABLE}@`),
    );
    await applyWarehouseMigrations(client, before);
    const recent: [number, StoredEvent][] = [
      [0, storedEvent(1)],
      [0, storedEvent(23)],
      [1, storedEvent(0)],
    ];
    const old: [number, StoredEvent][] = [[0, storedEvent(30)]];
    await client.insert({
      table: EVENTS_TABLE,
      values: [...recent, ...old].map(([partition, e], offset) =>
        toEventsRtRow(e, { partition, offset }),
      ),
      format: 'JSONEachRow',
    });

    const applied = await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));
    expect(applied).toEqual([expect.stringMatching(/^events_rt_ids@[0-9a-f]{12}$/)]);
    await expect(idsByPartition()).resolves.toEqual(expected(recent));

    const sink = new EventsRtSink(client, { onUndecodable: async () => undefined });
    await sink.prepare();
    const fresh = storedEvent(0);
    const copies = [recent[0][1], recent[1][1], old[0][1], fresh];
    const outcome = await sink.write(
      { topic: 't', partition: 0, firstOffset: '10', lastOffset: '13' },
      copies.map((e, i) => ({ offset: String(10 + i), value: Buffer.from(JSON.stringify(e)) })),
    );
    // The two back-filled ids are copies; the one ingested 30 h ago is past the window, so it is
    // written again, and still kept out of the id table.
    expect(outcome).toMatchObject({ written: 2, duplicates: 2 });
    await expect(idsByPartition()).resolves.toEqual(expected([...recent, [0, fresh]]));
    await expect(
      applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS)),
    ).resolves.toEqual([]);
  });

  it("drops events_rt's old bloom filter on event_id, which the lookup no longer needs", async () => {
    await client.command({
      query: `ALTER TABLE ${EVENTS_TABLE} ADD INDEX IF NOT EXISTS event_id_bloom event_id TYPE bloom_filter GRANULARITY 4`,
    });
    const indexes = async () =>
      (
        await (
          await client.query({
            query: `SELECT name FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = '${EVENTS_TABLE}'`,
            format: 'JSONEachRow',
          })
        ).json<{ name: string }>()
      ).map((row) => row.name);
    await expect(indexes()).resolves.toEqual(['event_id_bloom']);
    // As on a deployment whose events_rt came from the version with the index: this one is new.
    const [events] = realtimeMigrations(DEFAULT_VIEWS);
    await client.command({
      query: `DELETE FROM warehouse_migrations WHERE version = '${events?.version}'`,
    });
    await expect(
      applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS)),
    ).resolves.toEqual([events?.version]);
    await expect(indexes()).resolves.toEqual([]);
  });

  it('is rebuilt from events_rt when its window changes', async () => {
    const options = { eventIdWindowHours: 48 };
    const applied = await applyWarehouseMigrations(
      client,
      realtimeMigrations(DEFAULT_VIEWS, options),
    );
    expect(applied).toEqual([expect.stringMatching(/^events_rt_ids@/)]);
    // Every row of events_rt is now inside the window, the 30 h old event and its copy included.
    const result = await client.query({
      query: `SELECT _kafka_partition AS partition, toString(event_id) AS id FROM ${EVENTS_TABLE}
              ORDER BY partition, id`,
      format: 'JSONEachRow',
    });
    const all = await result.json<{ partition: number; id: string }>();
    expect(all).toHaveLength(6);
    await expect(idsByPartition()).resolves.toEqual(all);
  });
});
