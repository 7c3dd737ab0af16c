import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir } from '@tributary/testing';
import { randomUUID } from 'node:crypto';
import { EventsRtSink, type UndecodableRecord } from './events-rt-sink';
import { createWarehouseClient } from './warehouse-client';

// The shape events_rt has (libs/views generates the real DDL); here with one counting view whose
// target keeps the same deduplication window, as the real views do.
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
    it('re-pushes a logged range to the views that missed it, without a second copy in events_rt', async () => {
      // The crash: the range is logged pending and its rows reached events_rt, but the process died
      // before the view was pushed (simulated by detaching the view around the insert).
      const rows = [event('crash.test'), event('crash.test'), event('crash.test')].map((e, i) => ({
        ...e,
        properties: '{}',
        _kafka_partition: 5,
        _kafka_offset: 10 + i,
      }));
      const token = 't:5:10-12';
      await client.insert({
        table: 'events_rt_progress',
        values: [{ partition: 5, first_offset: 10, last_offset: 12, token, state: 'pending' }],
        format: 'JSONEachRow',
      });
      await client.command({ query: 'DETACH TABLE mv_count' });
      await client.insert({
        table: 'events_rt',
        values: rows,
        format: 'JSONEachRow',
        clickhouse_settings: {
          insert_deduplication_token: token,
          date_time_input_format: 'best_effort',
        },
      });
      await client.command({ query: 'ATTACH TABLE mv_count' });
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
    });

    it('leaves a logged range whose rows never landed to be written again from Kafka', async () => {
      await client.insert({
        table: 'events_rt_progress',
        values: [
          { partition: 6, first_offset: 0, last_offset: 4, token: 't:6:0-4', state: 'pending' },
        ],
        format: 'JSONEachRow',
      });
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
