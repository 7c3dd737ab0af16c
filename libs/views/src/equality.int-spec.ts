import type { ClickHouseClient } from '@clickhouse/client';
import type { StoredEvent } from '@tributary/contracts';
import { tempDir, type TempDir } from '@tributary/testing';
import { applyWarehouseMigrations, createWarehouseClient } from '@tributary/warehouse';
import { batchSql } from './compile/batch-sql';
import { formatDateTime64 } from './compile/clickhouse-time';
import { alignCut, CutAlignmentError, cutParams, INGESTION_BUCKET_MS } from './compile/cut';
import { EVENTS_TABLE } from './compile/events-table-ddl';
import { mergedReadSql } from './compile/merged-read-sql';
import { realtimeReadSql } from './compile/realtime-read-sql';
import { realtimeTable } from './compile/realtime-view-ddl';
import { DEFAULT_VIEWS, EVENTS_BY_TYPE_SOURCE } from './defaults/default-views';
import { demoEvents } from './demo/demo-events';
import { toEventsRtRow } from './events-rt-row';
import { realtimeMigrations } from './migrations/realtime-migrations';
import { referenceRows, type ViewRow } from './reference/reference-rows';
import { offSchemaEvents } from './spec-support/off-schema-events';
import { combineFinalRows, sortRows, withoutUniqueCounts } from './spec-support/view-rows';

const BATCH_ROWS = 200;
const TOPIC = 'tributary.events.v1';
const HOUR = 3_600_000;

/** ARCHITECTURE G2–G4 on chDB: each default view's real-time DDL and batch SQL, same events. */
describe('compiled default views on chDB', () => {
  let dataDir: TempDir;
  let client: ClickHouseClient;
  let events: StoredEvent[];
  let ingestedFrom: Date;
  let firstRun: string[];

  /** Inserts rows [first, last] of `events` as one offset range, with that range's token. */
  async function insertRange(first: number, last: number, reverse = false): Promise<void> {
    const rows = events
      .slice(first, last + 1)
      .map((event, i) => toEventsRtRow(event, { partition: 0, offset: String(first + i) }));
    await client.insert({
      table: EVENTS_TABLE,
      values: reverse ? rows.reverse() : rows,
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: `${TOPIC}:0:${first}-${last}` },
    });
  }

  beforeAll(async () => {
    dataDir = tempDir('views-equality');
    client = createWarehouseClient({ kind: 'embedded', path: dataDir.path });
    firstRun = await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));

    ingestedFrom = new Date(alignCut(new Date()).getTime() - 3 * HOUR);
    const demo = demoEvents({
      count: 3000,
      seed: 7,
      ingestedFrom,
      ingestedSpanMs: 3 * HOUR - 1000,
    });
    events = [...demo, ...offSchemaEvents(demo)].sort((a, b) =>
      a._ingested_at < b._ingested_at ? -1 : a._ingested_at > b._ingested_at ? 1 : 0,
    );
    const ranges: [number, number][] = [];
    for (let first = 0; first < events.length; first += BATCH_ROWS) {
      ranges.push([first, Math.min(first + BATCH_ROWS, events.length) - 1]);
    }
    for (const [first, last] of ranges) await insertRange(first, last);
    // Replays of offset ranges already written: the same event_ids again, with the same token —
    // one of them with its rows in another order, so only the token can tell it is a repeat.
    for (const index of [1, 4, 9]) {
      const [first, last] = ranges[index] as [number, number];
      await insertRange(first, last, index === 9);
    }
  });

  afterAll(async () => {
    await client.close();
    dataDir.remove();
  });

  async function queryRows(query: string, params: Record<string, string> = {}): Promise<ViewRow[]> {
    const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<ViewRow>();
  }

  async function queryValue(query: string): Promise<string> {
    const [row] = await queryRows(query);
    return String(Object.values(row ?? {})[0]);
  }

  it('has late events, off-schema events and events on both sides of every inner cut', () => {
    const late = events.filter(
      (e) => Date.parse(e._ingested_at) - Date.parse(e.occurred_at) > 86_400_000,
    );
    expect(late.length).toBeGreaterThan(events.length * 0.03);
    expect(
      late.some((e) => Date.parse(e._ingested_at) >= ingestedFrom.getTime() + 101 * 60_000),
    ).toBe(true);
    expect(events.filter((e) => e.type === 'app.opened').length).toBeGreaterThan(0);
  });

  describe(realtimeMigrations.name, () => {
    it('creates events_rt and every real-time view, and a second run applies nothing', async () => {
      expect(firstRun).toEqual(realtimeMigrations(DEFAULT_VIEWS).map((m) => m.version));
      await expect(
        applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS)),
      ).resolves.toEqual([]);
      for (const view of DEFAULT_VIEWS) {
        await expect(queryValue(`EXISTS TABLE ${realtimeTable(view)}`)).resolves.toBe('1');
      }
    });
  });

  describe('insert_deduplication_token', () => {
    it('drops a repeated insert from events_rt and from the materialized views behind it', async () => {
      await expect(queryValue(`SELECT count() FROM ${EVENTS_TABLE}`)).resolves.toBe(
        String(events.length),
      );
      await expect(queryValue(`SELECT uniqExact(event_id) FROM ${EVENTS_TABLE}`)).resolves.toBe(
        String(events.length),
      );
      await expect(
        queryValue(`SELECT countMerge(events) FROM ${realtimeTable(EVENTS_BY_TYPE_SOURCE)}`),
      ).resolves.toBe(String(events.length));
    });
  });

  const cases = DEFAULT_VIEWS.flatMap((view) => view.grains.map((grain) => ({ view, grain })));

  describe(realtimeReadSql.name, () => {
    it.each(cases)(
      'equals the batch SQL over events_rt and the reference for $view.name by $grain',
      async ({ view, grain }) => {
        const reference = referenceRows(view, grain, events);
        expect(reference.length).toBeGreaterThan(0);
        const realtime = await queryRows(realtimeReadSql(view, grain));
        const batch = await queryRows(batchSql(view, grain, { relation: EVENTS_TABLE }));
        expect(sortRows(view, realtime)).toEqual(reference);
        expect(sortRows(view, batch)).toEqual(reference);
      },
    );
  });

  describe(mergedReadSql.name, () => {
    const cutsAfterStart = [0, 37 * 60_000, 101 * 60_000, 3 * HOUR];

    it.each(cases)(
      'gives the full answer as batch before a cut plus real-time from it, for $view.name by $grain',
      async ({ view, grain }) => {
        const full = referenceRows(view, grain, events);
        for (const offset of cutsAfterStart) {
          const cut = new Date(ingestedFrom.getTime() + offset);
          const params = cutParams(cut);
          const batch = await queryRows(
            batchSql(view, grain, { relation: EVENTS_TABLE, cut: true }),
            params,
          );
          const realtime = await queryRows(realtimeReadSql(view, grain, { cut: true }), params);
          expect(sortRows(view, batch)).toEqual(
            referenceRows(view, grain, events, { before: cut }),
          );
          expect(sortRows(view, realtime)).toEqual(
            referenceRows(view, grain, events, { from: cut }),
          );
          expect(combineFinalRows(view, batch, realtime)).toEqual(withoutUniqueCounts(view, full));
          const merged = await queryRows(
            mergedReadSql(view, grain, { relation: EVENTS_TABLE }),
            params,
          );
          expect(sortRows(view, merged)).toEqual(full);
        }
      },
    );

    it('would lose the rest of the minute at a cut inside it, which is why cutParams refuses such a cut', async () => {
      const view = EVENTS_BY_TYPE_SOURCE;
      const aligned = new Date(ingestedFrom.getTime() + 37 * 60_000);
      const inside = new Date(aligned.getTime() + INGESTION_BUCKET_MS / 2);
      expect(() => cutParams(inside)).toThrow(CutAlignmentError);
      // The batch side takes _ingested_at < inside; the real-time side only whole buckets >= inside,
      // so the events ingested from `inside` to the end of its minute are on neither side.
      const lost = events.filter((e) => {
        const at = Date.parse(e._ingested_at);
        return at >= inside.getTime() && at < aligned.getTime() + INGESTION_BUCKET_MS;
      }).length;
      expect(lost).toBeGreaterThan(0);
      const merged = await queryRows(mergedReadSql(view, 'day', { relation: EVENTS_TABLE }), {
        cut: formatDateTime64(inside),
      });
      const total = merged.reduce((sum, row) => sum + Number(row.events), 0);
      expect(total).toBe(events.length - lost);
    });
  });
});
