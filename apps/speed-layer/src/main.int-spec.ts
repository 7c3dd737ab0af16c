import type { StoredEvent } from '@tributary/contracts';
import { createKafka, createProducer } from '@tributary/messaging';
import {
  freePort,
  localServices,
  parsePrometheusText,
  type ServiceProcess,
  spawnService,
  tempDir,
  type TempDir,
  uniqueName,
  waitFor,
} from '@tributary/testing';
import {
  DEFAULT_VIEWS,
  demoEvents,
  realtimeReadSql,
  referenceRows,
  type ViewRow,
} from '@tributary/views';
import { createWarehouseClient } from '@tributary/warehouse';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const mainJs = join(__dirname, '..', 'dist', 'main.js');
const HOUR = 3_600_000;

/**
 * The built speed layer as a process, Kafka → chDB (ARCHITECTURE G2): events with 10% client
 * retries (repeated event_ids) and 5% late events; the consumer is SIGKILLed mid-stream and
 * restarted with other fetch and insert sizes, so batch boundaries move. Afterwards every default
 * real-time view equals a reference computed here from the distinct events.
 */
describe('speed-layer process', () => {
  let dataDir: TempDir;
  const topic = uniqueName('speed-events');
  const group = uniqueName('speed');
  const dlqTopic = uniqueName('speed-dlq');
  const kafka = createKafka({ brokers: localServices().kafkaBrokers, clientId: 'speed-spec' });

  beforeAll(async () => {
    if (!existsSync(mainJs))
      throw new Error(`${mainJs} is missing: run \`npx nx build speed-layer\``);
    dataDir = tempDir('speed-layer-int');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 3 },
        { topic: dlqTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
  });

  afterAll(() => dataDir?.remove());

  let port = 0;
  const start = async (fetchBytes: string, rangeSize: string): Promise<ServiceProcess> => {
    port = await freePort();
    const service = spawnService(mainJs, {
      TRIBUTARY_PROFILE: 'embedded',
      TRIBUTARY_DATA_DIR: dataDir.path,
      TRIBUTARY_KAFKA_BROKERS: localServices().kafkaBrokers.join(','),
      TRIBUTARY_EVENTS_TOPIC: topic,
      TRIBUTARY_DLQ_TOPIC: dlqTopic,
      TRIBUTARY_SPEED_CONSUMER_GROUP: group,
      TRIBUTARY_SPEED_FETCH_BYTES: fetchBytes,
      TRIBUTARY_SPEED_RANGE_SIZE: rangeSize,
      TRIBUTARY_SPEED_LAYER_PORT: String(port),
      TRIBUTARY_HOST: '127.0.0.1',
    });
    await service.waitForLine((line) => line.event === 'speed.consuming', 60_000);
    return service;
  };

  const produce = async (events: Array<StoredEvent | string>) => {
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((e) =>
        typeof e === 'string'
          ? { key: e, value: e }
          : { key: e.subject_id ?? e.event_id, value: JSON.stringify(e) },
      ),
    });
    await producer.disconnect();
  };

  const committed = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  };

  it('counts every distinct event once across a SIGKILL and a restart with other batch sizes', async () => {
    const distinct = demoEvents({
      count: 4000,
      seed: 11,
      ingestedFrom: new Date(Date.now() - 2 * HOUR),
      ingestedSpanMs: HOUR,
    });
    const retried = distinct.filter((_, i) => i % 10 === 3); // client retries: same event, same id
    const stream = [
      ...distinct.slice(0, 2000),
      ...retried.slice(0, 200),
      ...distinct.slice(2000),
      ...retried.slice(200),
    ];
    expect(
      distinct.filter((e) => Date.parse(e._ingested_at) - Date.parse(e.occurred_at) > 86_400_000)
        .length,
    ).toBeGreaterThan(100);

    const first = await start('2KiB', '37');
    await produce(stream.slice(0, 2600));
    await waitFor(async () => expect(await committed()).toBeGreaterThan(300), {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    first.child.kill('SIGKILL');
    await first.exited;

    const undecodable = ['{"not": "an event"}', 'not json'];
    await produce([...stream.slice(2600, 3000), ...undecodable, ...stream.slice(3000)]);
    const second = await start('64KiB', '500');
    await waitFor(async () => expect(await committed()).toBe(stream.length + undecodable.length), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    const metrics = parsePrometheusText(
      await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
    );
    const lag = metrics.find((f) => f.name === 'tributary_consumer_lag')?.metrics ?? [];
    expect(lag.length).toBeGreaterThan(0);
    expect(lag.every((m) => m.value === '0')).toBe(true);
    const written = metrics.find((f) => f.name === 'tributary_rows_written_total')?.metrics[0]
      ?.value;
    expect(Number(written)).toBeGreaterThan(0);
    expect(metrics.map((f) => f.name)).toContain('tributary_data_freshness_seconds');
    // The second process alone: its counters started at zero.
    const values = (name: string, label?: [string, string]) =>
      (metrics.find((f) => f.name === `tributary_${name}`)?.metrics ?? [])
        .filter((m) => !label || m.labels?.[label[0]] === label[1])
        .map((m) => Number(m.value ?? m.buckets?.['+Inf']));
    const total = (name: string, label?: [string, string]) =>
      values(name, label).reduce((a, b) => a + b, 0);
    expect(total('events_dlq_total', ['reason', 'undecodable'])).toBe(undecodable.length);
    expect(total('late_events_total')).toBeGreaterThan(0); // ~5% of what it wrote
    expect(total('late_events_total')).toBeLessThan(Number(written) / 5);
    expect(total('dedup_dropped_total', ['reason', 'event_id'])).toBeGreaterThan(0);
    expect(total('insert_latency_seconds')).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    await expect(second.exited).resolves.toMatchObject({ code: 0 });

    const client = createWarehouseClient({ kind: 'embedded', path: join(dataDir.path, 'chdb') });
    try {
      const count = await client.query({
        query: 'SELECT count() AS n FROM events_rt',
        format: 'JSONEachRow',
      });
      expect(await count.json()).toEqual([{ n: String(distinct.length) }]);
      for (const view of DEFAULT_VIEWS) {
        for (const grain of view.grains) {
          const result = await client.query({
            query: realtimeReadSql(view, grain),
            format: 'JSONEachRow',
          });
          expect(
            sorted(
              view.dimensions.map((d) => d.name),
              await result.json<ViewRow>(),
            ),
          ).toEqual(
            sorted(
              view.dimensions.map((d) => d.name),
              referenceRows(view, grain, distinct),
            ),
          );
        }
      }
    } finally {
      await client.close();
    }
  }, 240_000);
});

function sorted(dimensions: string[], rows: readonly ViewRow[]): ViewRow[] {
  const key = (row: ViewRow) => JSON.stringify([row.bucket, ...dimensions.map((d) => row[d])]);
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
