import type { StoredEvent } from '@tributary/contracts';
import { createKafka, createProducer } from '@tributary/messaging';
import {
  freePort,
  localServices,
  type MetricFamily,
  parsePrometheusText,
  type ServiceProcess,
  spawnService,
  tempDir,
  type TempDir,
  uniqueName,
} from '@tributary/testing';
import { DEFAULT_VIEWS, realtimeReadSql, referenceRows, type ViewRow } from '@tributary/views';
import { createWarehouseClient, type WarehouseTarget } from '@tributary/warehouse';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(__dirname, '..', 'dist');

/**
 * Test-only: the built speed layer (embedded profile: chDB in a temp folder) on the local Kafka,
 * with its own events and DLQ topics and consumer group.
 */
export class SpeedFixture {
  readonly topic = uniqueName('speed-events');
  readonly dlqTopic = uniqueName('speed-dlq');
  readonly group = uniqueName('speed');
  readonly kafka = createKafka({ brokers: localServices().kafkaBrokers, clientId: 'speed-spec' });
  readonly dataDir: TempDir;
  port = 0;

  private constructor(
    label: string,
    /** Kafka (the local broker) or, false, the embedded log under the data folder. */
    readonly onKafka = true,
  ) {
    this.dataDir = tempDir(label);
  }

  /** The service on the embedded log under its data folder: no brokers configured. */
  static embedded(label: string): SpeedFixture {
    assertBuilt();
    return new SpeedFixture(label, false);
  }

  static async create(label: string, partitions = 3): Promise<SpeedFixture> {
    assertBuilt();
    const fixture = new SpeedFixture(label);
    const admin = fixture.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: fixture.topic, numPartitions: partitions },
        { topic: fixture.dlqTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    return fixture;
  }

  /** The service's environment: embedded profile on this fixture's folder, topics and group. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      TRIBUTARY_PROFILE: 'embedded',
      TRIBUTARY_DATA_DIR: this.dataDir.path,
      ...(this.onKafka ? { TRIBUTARY_KAFKA_BROKERS: localServices().kafkaBrokers.join(',') } : {}),
      TRIBUTARY_EVENTS_TOPIC: this.topic,
      TRIBUTARY_DLQ_TOPIC: this.dlqTopic,
      TRIBUTARY_SPEED_CONSUMER_GROUP: this.group,
      TRIBUTARY_HOST: '127.0.0.1',
      ...extra,
    };
  }

  /** Starts the service and waits until it consumes. */
  async start(extra: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    this.port = await freePort();
    const service = spawnService(
      join(dist, 'main.js'),
      this.env({ TRIBUTARY_SPEED_LAYER_PORT: String(this.port), ...extra }),
    );
    await service.waitForLine((line) => line.event === 'speed.consuming', 60_000);
    return service;
  }

  /** Events as the ingest API writes them (keyed by subject, else event id); strings as-is. */
  async produce(events: ReadonlyArray<StoredEvent | string>): Promise<void> {
    const producer = createProducer(this.kafka);
    await producer.connect();
    await producer.send({
      topic: this.topic,
      acks: -1,
      messages: events.map((e) =>
        typeof e === 'string'
          ? { key: e, value: e }
          : { key: e.subject_id ?? e.event_id, value: JSON.stringify(e) },
      ),
    });
    await producer.disconnect();
  }

  /** Sum of the group's committed offsets over the partitions. */
  async committed(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: this.group, topics: [this.topic] });
      return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  }

  async metrics(): Promise<MetricFamily[]> {
    return parsePrometheusText(await (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text());
  }

  /**
   * With the service stopped (embedded) or on the given server: the number of rows in events_rt, and every default real-time view
   * next to its reference computed from the given distinct events.
   */
  async contents(distinct: readonly StoredEvent[], target?: WarehouseTarget) {
    const client = createWarehouseClient(
      target ?? { kind: 'embedded', path: join(this.dataDir.path, 'chdb') },
    );
    try {
      const count = await client.query({
        query: 'SELECT count() AS n FROM events_rt',
        format: 'JSONEachRow',
      });
      const [{ n }] = await count.json<{ n: string }>();
      const views: Array<{ view: string; actual: ViewRow[]; expected: ViewRow[] }> = [];
      for (const view of DEFAULT_VIEWS) {
        const dimensions = view.dimensions.map((d) => d.name);
        for (const grain of view.grains) {
          const result = await client.query({
            query: realtimeReadSql(view, grain),
            format: 'JSONEachRow',
          });
          views.push({
            view: `${view.name}/${grain}`,
            actual: sorted(dimensions, await result.json<ViewRow>()),
            expected: sorted(dimensions, referenceRows(view, grain, distinct)),
          });
        }
      }
      return { rows: Number(n), views };
    } finally {
      await client.close();
    }
  }

  /** With the service stopped: events_rt holds each distinct event once, every view its reference. */
  async expectViewsEqualReference(distinct: readonly StoredEvent[]): Promise<void> {
    const { rows, views } = await this.contents(distinct);
    expect(rows).toBe(distinct.length);
    for (const { view, actual, expected } of views)
      expect({ view, rows: actual }).toEqual({ view, rows: expected });
  }

  remove(): void {
    this.dataDir.remove();
  }
}

/** The values of one metric's series (histograms: their count), optionally by one label. */
export function metricValues(
  families: readonly MetricFamily[],
  name: string,
  label?: [string, string],
): number[] {
  return (families.find((f) => f.name === `tributary_${name}`)?.metrics ?? [])
    .filter((m) => !label || m.labels?.[label[0]] === label[1])
    .map((m) => Number(m.value ?? m.buckets?.['+Inf']));
}

export function metricTotal(
  families: readonly MetricFamily[],
  name: string,
  label?: [string, string],
): number {
  return metricValues(families, name, label).reduce((a, b) => a + b, 0);
}

function assertBuilt(): void {
  for (const file of ['main.js', 'replay.js']) {
    if (!existsSync(join(dist, file)))
      throw new Error(`${join(dist, file)} is missing: run \`npx nx build speed-layer\``);
  }
}

function sorted(dimensions: string[], rows: readonly ViewRow[]): ViewRow[] {
  const key = (row: ViewRow) => JSON.stringify([row.bucket, ...dimensions.map((d) => row[d])]);
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
