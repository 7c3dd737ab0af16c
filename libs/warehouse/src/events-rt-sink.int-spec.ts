import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir } from '@tributary/testing';
import { randomUUID } from 'node:crypto';
import { EventsRtSink, type UndecodableRecord } from './events-rt-sink';
import { createWarehouseClient } from './warehouse-client';

// The shape events_rt has (libs/views generates the real DDL); here with one counting view whose
// target keeps the same deduplication window, as the real views do, and the id table the
// event_id check reads, fed by its own materialized view (as libs/views `eventIdsDdl`).
const DDL = [
  `CREATE TABLE events_rt (
     event_id UUID, type LowCardinality(String), schema_version Nullable(UInt32),
     occurred_at DateTime64(3, 'UTC'), subject_id Nullable(String), properties String,
     _ingested_at DateTime64(3, 'UTC'), _source LowCardinality(String), _correlation_id String,
     _schema_version UInt32, _kafka_partition UInt32, _kafka_offset UInt64
   ) ENGINE = MergeTree ORDER BY (_kafka_partition, _kafka_offset)
   SETTINGS non_replicated_deduplication_window = 1000`,
  `CREATE TABLE rt_count (type LowCardinality(String), events AggregateFunction(count))
   ENGINE = AggregatingMergeTree ORDER BY type SETTINGS non_replicated_deduplication_window = 1000`,
  `CREATE MATERIALIZED VIEW mv_count TO rt_count AS SELECT type, countState() AS events FROM events_rt GROUP BY type`,
  `CREATE TABLE events_rt_ids (partition UInt32, event_id UUID, ingested_at DateTime64(3, 'UTC'))
   ENGINE = MergeTree PARTITION BY toYYYYMMDD(ingested_at) ORDER BY (partition, event_id)
   TTL toDateTime(ingested_at) + INTERVAL 24 HOUR
   SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1, index_granularity = 256`,
  `CREATE MATERIALIZED VIEW mv_events_rt_ids TO events_rt_ids AS
   SELECT _kafka_partition AS partition, event_id, _ingested_at AS ingested_at FROM events_rt
   WHERE _ingested_at >= now64(3) - INTERVAL 24 HOUR`,
];

const event = (type = 'order.placed', id = randomUUID()) => ({
  event_id: id,
  type,
  schema_version: null,
  occurred_at: '2026-11-26T10:00:00.000Z',
  subject_id: 'user-1',
  properties: { amount: 1 },
  _ingested_at: new Date().toISOString(),
  _source: 'web',
  _correlation_id: 'c',
  _schema_version: 1,
});
const records = (events: unknown[], from = 0) =>
  events.map((e, i) => ({
    offset: String(from + i),
    value: Buffer.from(typeof e === 'string' ? e : JSON.stringify(e)),
  }));
const range = (partition: number, first: number, last: number) => ({
  topic: 't',
  partition,
  firstOffset: String(first),
  lastOffset: String(last),
});

describe(EventsRtSink.name, () => {
  let dir: TempDir;
  let client: ClickHouseClient;
  let dlq: UndecodableRecord[];
  let sink: EventsRtSink;

  const count = async (sql: string) =>
    Number(
      (await (await client.query({ query: sql, format: 'JSONEachRow' })).json<{ n: string }>())[0]
        .n,
    );
  /** Rows of the id table per event_id in one partition. */
  const storedIds = async (partition: number) => {
    const result = await client.query({
      query: `SELECT toString(event_id) AS id, count() AS n FROM events_rt_ids
              WHERE partition = {partition:UInt32} GROUP BY id`,
      query_params: { partition },
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ id: string; n: string }>();
    return Object.fromEntries(rows.map((row) => [row.id, Number(row.n)]));
  };

  beforeAll(async () => {
    dir = tempDir('events-rt-sink');
    client = createWarehouseClient({ kind: 'embedded', path: dir.path });
    for (const statement of DDL) await client.command({ query: statement });
    dlq = [];
    sink = new EventsRtSink(client, { onUndecodable: async (r) => void dlq.push(...r) });
    await sink.prepare();
  });

  afterAll(async () => {
    await client?.close();
    dir?.remove();
  });

  describe('write', () => {
    it('drops a repeated write of the same range, in events_rt and in the view targets', async () => {
      const batch = records([event(), event(), event('page.viewed')], 0);
      await sink.write(range(0, 0, 2), batch);
      await client.command({ query: 'SYSTEM STOP MERGES' }); // keep parts apart: counts must not rely on merges
      await sink.write(range(0, 0, 2), batch);
      expect(await count('SELECT count() AS n FROM events_rt')).toBe(3);
      expect(
        await count("SELECT countMerge(events) AS n FROM rt_count WHERE type = 'order.placed'"),
      ).toBe(2);
      expect(Object.values(await storedIds(0))).toEqual([1, 1, 1]);
    });

    it('filters event_ids the partition already holds (client retries, zombie overlap)', async () => {
      const retried = event('order.placed');
      await sink.write(range(1, 0, 0), records([retried], 0));
      await sink.write(range(1, 1, 2), records([retried, event('order.placed')], 1));
      expect(await count('SELECT count() AS n FROM events_rt WHERE _kafka_partition = 1')).toBe(2);
    });

    it('sends undecodable records to the DLQ with their position and writes the rest', async () => {
      await sink.write(
        range(2, 0, 3),
        records(
          ['{not json', JSON.stringify({ type: 'x' }), { ...event(), event_id: 'e-1' }, event()],
          0,
        ),
      );
      expect(dlq.map((r) => [r.partition, r.offset, r.reason])).toEqual([
        [2, '0', expect.stringMatching(/^not JSON/)],
        [2, '1', 'missing event_id, occurred_at, properties, _ingested_at, _source'],
        [2, '2', 'event_id is not a UUID'],
      ]);
      expect(await count('SELECT count() AS n FROM events_rt WHERE _kafka_partition = 2')).toBe(1);
    });

    it('reports the rows written, the copies dropped, the undecodable and the late ones', async () => {
      const now = Date.now();
      const at = (ms: number) => new Date(ms).toISOString();
      const stored = event('outcome.a');
      await sink.write(range(3, 0, 0), records([stored], 0));
      const onTime = {
        ...event('outcome.a'),
        occurred_at: at(now - 60_000),
        _ingested_at: at(now),
      };
      const late = {
        ...event('outcome.b'),
        occurred_at: at(now - 2 * 3_600_000),
        _ingested_at: at(now - 1_000),
      };
      const outcome = await sink.write(
        range(3, 1, 5),
        records([onTime, late, stored, onTime, '{'], 1),
      );
      expect(outcome).toEqual({
        written: 2,
        duplicates: 2,
        undecodable: 1,
        late: { 'outcome.b': 1 },
        newestIngestedMs: now,
      });
      const lenient = new EventsRtSink(client, {
        onUndecodable: async () => undefined,
        allowedLatenessMs: 3 * 3_600_000,
      });
      const relaxed = { ...late, event_id: randomUUID() };
      await expect(lenient.write(range(3, 6, 6), records([relaxed], 6))).resolves.toMatchObject({
        written: 1,
        late: {},
      });
    });
  });

  describe('the event_id check (events_rt_ids)', () => {
    it('finds copies inside a range and in earlier ranges of the partition', async () => {
      const [a, b, c] = [event('ids.test'), event('ids.test'), event('ids.test')];
      await expect(sink.write(range(10, 0, 2), records([a, a, b], 0))).resolves.toMatchObject({
        written: 2,
        duplicates: 1,
      });
      await expect(sink.write(range(10, 3, 5), records([b, c, a], 3))).resolves.toMatchObject({
        written: 1,
        duplicates: 2,
      });
      // Per partition, as the Kafka key is derived from the event: a copy never lands elsewhere.
      await expect(sink.write(range(11, 0, 0), records([a], 0))).resolves.toMatchObject({
        written: 1,
        duplicates: 0,
      });
      expect(await count('SELECT count() AS n FROM events_rt WHERE _kafka_partition = 10')).toBe(3);
      await expect(storedIds(10)).resolves.toEqual({
        [a.event_id]: 1,
        [b.event_id]: 1,
        [c.event_id]: 1,
      });
      await expect(storedIds(11)).resolves.toEqual({ [a.event_id]: 1 });
    });

    it('reads the id table, not events_rt: an id only there counts as stored', async () => {
      const known = event('ids.only');
      await client.insert({
        table: 'events_rt_ids',
        values: [{ partition: 14, event_id: known.event_id, ingested_at: Date.now() }],
        format: 'JSONEachRow',
      });
      await expect(sink.write(range(14, 0, 0), records([known], 0))).resolves.toMatchObject({
        written: 0,
        duplicates: 1,
      });
    });

    it('does not match ids stored before the window', async () => {
      const now = Date.now();
      const hours = (n: number) => new Date(now - n * 3_600_000).toISOString();
      const hourly = new EventsRtSink(client, {
        dedupWindowMs: 3_600_000,
        onUndecodable: async () => undefined,
      });
      const twoHoursOld = { ...event('ids.window'), _ingested_at: hours(2) };
      await hourly.write(range(12, 0, 0), records([twoHoursOld], 0));
      // Outside a 1 h window the copy is new; inside the default 24 h it is a copy.
      await expect(hourly.write(range(12, 1, 1), records([twoHoursOld], 1))).resolves.toMatchObject(
        { written: 1, duplicates: 0 },
      );
      await expect(sink.write(range(12, 2, 2), records([twoHoursOld], 2))).resolves.toMatchObject({
        written: 0,
        duplicates: 1,
      });
      // Ingested more than 24 h ago: stored in events_rt, never in the id table, never matched.
      const dayOld = { ...event('ids.window'), _ingested_at: hours(25) };
      await sink.write(range(12, 3, 3), records([dayOld], 3));
      await expect(sink.write(range(12, 4, 4), records([dayOld], 4))).resolves.toMatchObject({
        written: 1,
        duplicates: 0,
      });
      await expect(storedIds(12)).resolves.toEqual({ [twoHoursOld.event_id]: 2 });
      expect(await count("SELECT count() AS n FROM events_rt WHERE type = 'ids.window'")).toBe(4);
    });
  });

  describe('row text', () => {
    it('stores events as sent: awkward text, non-object properties, extra and clashing fields', async () => {
      const awkward = {
        ...event('text.test'),
        properties: { note: 'semi; colon', quote: 'it\'s "quoted"', line: 'a\nb', é: '\u00e9' },
        unknown_field: 1,
      };
      const scalar = { ...event('text.test'), properties: 'plain' };
      const clashing = { ...event('text.test'), _kafka_offset: 999, _kafka_partition: 42 };
      const pretty = JSON.stringify(event('text.test'), null, 2);
      await sink.write(range(4, 0, 3), records([awkward, scalar, clashing, pretty], 0));
      const result = await client.query({
        query: `SELECT properties, _kafka_partition AS p, toString(_kafka_offset) AS o FROM events_rt
                WHERE type = 'text.test' ORDER BY _kafka_offset`,
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ properties: string; p: number; o: string }>();
      expect(rows.map((r) => [r.p, r.o])).toEqual([
        [4, '0'],
        [4, '1'],
        [4, '2'],
        [4, '3'],
      ]);
      expect(JSON.parse(rows[0].properties)).toEqual(awkward.properties);
      expect(rows[1].properties).toBe('"plain"');
      expect(JSON.parse(rows[3].properties)).toEqual({ amount: 1 });
    });
  });

  describe('the dedup token it relies on', () => {
    it('makes chDB drop a repeated INSERT in events_rt and in the view target', async () => {
      const rows = [event('token.test'), event('token.test')].map((e, i) => ({
        ...e,
        properties: '{}',
        _kafka_partition: 7,
        _kafka_offset: i,
      }));
      const insert = () =>
        client.insert({
          table: 'events_rt',
          values: rows,
          format: 'JSONEachRow',
          clickhouse_settings: {
            insert_deduplication_token: 't:7:0-1',
            date_time_input_format: 'best_effort',
          },
        });
      await insert();
      await insert();
      expect(await count("SELECT count() AS n FROM events_rt WHERE type = 'token.test'")).toBe(2);
      expect(
        await count("SELECT countMerge(events) AS n FROM rt_count WHERE type = 'token.test'"),
      ).toBe(2);
    });
  });

  describe('storedUpTo after a crash inside an insert', () => {
    /** The range log's write-ahead row of an insert about to start; returns its token. */
    async function logPending(partition: number, first: number, last: number): Promise<string> {
      const token = `t:${partition}:${first}-${last}`;
      await client.insert({
        table: 'events_rt_progress',
        values: [{ partition, first_offset: first, last_offset: last, token, state: 'pending' }],
        format: 'JSONEachRow',
      });
      return token;
    }

    /**
     * The crash: the range is logged pending and its rows reached events_rt, but the process died
     * before `view` was pushed (simulated by detaching the view around the insert).
     */
    async function crashedInsert(view: string, partition: number, first: number, events: object[]) {
      const token = await logPending(partition, first, first + events.length - 1);
      await client.command({ query: `DETACH TABLE ${view}` });
      await client.insert({
        table: 'events_rt',
        values: events.map((e, i) => ({
          ...e,
          properties: '{}',
          _kafka_partition: partition,
          _kafka_offset: first + i,
        })),
        format: 'JSONEachRow',
        clickhouse_settings: {
          insert_deduplication_token: token,
          date_time_input_format: 'best_effort',
        },
      });
      await client.command({ query: `ATTACH TABLE ${view}` });
    }

    it('re-pushes a logged range to the views that missed it, without a second copy in events_rt', async () => {
      await crashedInsert('mv_count', 5, 10, [
        event('crash.test'),
        event('crash.test'),
        event('crash.test'),
      ]);
      expect(
        await count("SELECT countMerge(events) AS n FROM rt_count WHERE type = 'crash.test'"),
      ).toBe(0);

      await expect(sink.storedUpTo('t', 5)).resolves.toBe('12');
      expect(await count("SELECT count() AS n FROM events_rt WHERE type = 'crash.test'")).toBe(3);
      expect(
        await count("SELECT countMerge(events) AS n FROM rt_count WHERE type = 'crash.test'"),
      ).toBe(3);
      await expect(sink.storedUpTo('t', 5)).resolves.toBe('12'); // recovered once, then just read
      expect(
        await count("SELECT countMerge(events) AS n FROM rt_count WHERE type = 'crash.test'"),
      ).toBe(3);
      // The id table had the rows already: the re-insert added none.
      expect(Object.values(await storedIds(5))).toEqual([1, 1, 1]);
    });

    it('completes the id table when its view missed the interrupted insert', async () => {
      const events = [event('crash.ids'), event('crash.ids')];
      await crashedInsert('mv_events_rt_ids', 13, 0, events);
      await expect(storedIds(13)).resolves.toEqual({});

      await expect(sink.storedUpTo('t', 13)).resolves.toBe('1');
      await expect(sink.storedUpTo('t', 13)).resolves.toBe('1');
      const [first, second] = events.map((e) => e.event_id);
      await expect(storedIds(13)).resolves.toEqual({ [first]: 1, [second]: 1 });
      await expect(
        sink.write(range(13, 2, 3), records([events[1], event('crash.ids')], 2)),
      ).resolves.toMatchObject({ written: 1, duplicates: 1 });
      expect(
        await count("SELECT countMerge(events) AS n FROM rt_count WHERE type = 'crash.ids'"),
      ).toBe(3);
    });

    it('completes a range written again after it was voided (same boundaries, same token)', async () => {
      // First attempt: logged pending, nothing landed, then a restart voids it.
      await logPending(8, 0, 1);
      await expect(sink.storedUpTo('t', 8)).resolves.toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 5)); // the next attempt is logged later
      // Kafka delivers the range again with the same boundaries; this attempt dies inside its
      // INSERT: events_rt and the id table have the rows, one view does not.
      const events = [event('revoid.test'), event('revoid.test')];
      await crashedInsert('mv_count', 8, 0, events);

      await expect(sink.storedUpTo('t', 8)).resolves.toBe('1');
      expect(
        await count("SELECT countMerge(events) AS n FROM rt_count WHERE type = 'revoid.test'"),
      ).toBe(2);
      expect(await count("SELECT count() AS n FROM events_rt WHERE type = 'revoid.test'")).toBe(2);
    });

    it('leaves a logged range whose rows never landed to be written again from Kafka', async () => {
      await logPending(6, 0, 4);
      await expect(sink.storedUpTo('t', 6)).resolves.toBeUndefined();
    });
  });

  describe('storedUpTo', () => {
    it('answers the highest offset in the table per partition, nothing for an empty one', async () => {
      await expect(sink.storedUpTo('t', 0)).resolves.toBe('2');
      await expect(sink.storedUpTo('t', 1)).resolves.toBe('2');
      await expect(sink.storedUpTo('t', 9)).resolves.toBeUndefined();
    });
  });
});
