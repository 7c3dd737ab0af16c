import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredEvent } from '@tributary/contracts';
import { createKafka, createProducer, topicEndOffsets } from '@tributary/messaging';
import { createMetadataDataSource } from '@tributary/metadata';
import {
  createTestDatabase,
  freePort,
  localServices,
  type ServiceProcess,
  spawnService,
  tempDir,
  type TempDir,
  type TestDatabase,
  uniqueName,
  waitFor,
  workspaceTempDir,
} from '@tributary/testing';
import {
  alignCut,
  DEFAULT_VIEWS,
  demoEvents,
  servingCopyReadSql,
  servingTable,
  sortViewRows,
  referenceRows,
  type ViewRow,
} from '@tributary/views';
import { createWarehouseClient } from '@tributary/warehouse';
import type { DataSource } from 'typeorm';

const mainJs = join(__dirname, '..', 'dist', 'main.js');
const HOUR = 3_600_000;

/**
 * The built batch layer as a process on real Kafka, Postgres and chDB: it is SIGKILLed right after
 * its second Iceberg commit (before recording it or committing offsets), restarted, and its
 * scheduled runs then publish every default view — each equal to a reference computed here from
 * the distinct events, with every produced record in the master dataset exactly once.
 */
describe('batch-layer process', () => {
  let dataDir: TempDir;
  let database: TestDatabase;
  let db: DataSource;
  let lakeDir: TempDir;
  let lakeRoot: string;
  const topic = uniqueName('batch-events');
  const kafka = createKafka({ brokers: localServices().kafkaBrokers, clientId: 'batch-spec' });
  const produced: StoredEvent[] = [];

  beforeAll(async () => {
    if (!existsSync(mainJs))
      throw new Error(`${mainJs} is missing: run \`npx nx build batch-layer\``);
    dataDir = tempDir('batch-layer-int');
    lakeDir = workspaceTempDir('batch-lake');
    lakeRoot = lakeDir.path;
    database = await createTestDatabase('batch_layer');
    db = createMetadataDataSource({ url: database.url });
    await db.initialize();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
    dataDir?.remove();
    lakeDir?.remove();
  });

  const start = async (env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> =>
    spawnService(mainJs, {
      TRIBUTARY_PROFILE: 'embedded',
      TRIBUTARY_DATA_DIR: dataDir.path,
      TRIBUTARY_LAKE_PATH: lakeRoot,
      TRIBUTARY_POSTGRES_URL: database.url,
      TRIBUTARY_KAFKA_BROKERS: localServices().kafkaBrokers.join(','),
      TRIBUTARY_EVENTS_TOPIC: topic,
      TRIBUTARY_BATCH_CONSUMER_GROUP: uniqueName('lake'),
      TRIBUTARY_BATCH_COMMIT_ROWS: '400',
      TRIBUTARY_BATCH_COMMIT_INTERVAL: '300ms',
      TRIBUTARY_BATCH_SCHEDULE: '*/2 * * * * *',
      TRIBUTARY_LAKE_MAINTENANCE_SCHEDULE: '*/3 * * * * *',
      TRIBUTARY_INGEST_PUBLISH_TIMEOUT: '1s',
      TRIBUTARY_BATCH_CUT_LAG: '1s',
      TRIBUTARY_BATCH_LAYER_PORT: String(await freePort()),
      TRIBUTARY_HOST: '127.0.0.1',
      ...env,
    });

  it('loses nothing and counts nothing twice across a kill after an Iceberg commit', async () => {
    const ingestedFrom = new Date(alignCut(new Date()).getTime() - 4 * HOUR);
    const events = demoEvents({ count: 2_000, seed: 5, ingestedFrom, ingestedSpanMs: 2 * HOUR });
    const retries = events
      .filter((_, i) => i % 10 === 7)
      .map((e) => ({
        ...e,
        _ingested_at: new Date(Date.parse(e._ingested_at) + 1_000).toISOString(),
      }));
    produced.push(
      ...[...events, ...retries].sort((a, b) => a._ingested_at.localeCompare(b._ingested_at)),
    );
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: produced.map((e) => ({
        key: e.subject_id ?? e.event_id,
        value: JSON.stringify(e),
      })),
    });
    await producer.disconnect();

    const doomed = await start({ FAILPOINT_LAKE_KILL_AFTER_COMMITS: '2' });
    await expect(doomed.exited).resolves.toMatchObject({ signal: 'SIGKILL' });
    const pending: unknown[] = await db.query(
      `SELECT 1 FROM lake_commits WHERE status = 'pending'`,
    );
    expect(pending).toHaveLength(1);

    const service = await start();
    const ends = await topicEndOffsets(kafka, topic);
    const lastEvent = Math.max(...produced.map((e) => Date.parse(e._ingested_at)));
    await waitFor(
      async () => {
        const held: Array<{ partition: number; last_offset: string }> = await db.query(
          'SELECT partition, last_offset FROM lake_offsets',
        );
        for (const [partition, end] of ends) {
          const row = held.find((h) => h.partition === partition);
          expect(BigInt(row?.last_offset ?? -1) + 1n).toBe(end);
        }
        const marks: Array<{ view_name: string; cut: Date }> = await db.query(
          'SELECT view_name, cut FROM view_watermarks',
        );
        expect(marks).toHaveLength(DEFAULT_VIEWS.length);
        for (const mark of marks) expect(mark.cut.getTime()).toBeGreaterThan(lastEvent);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    // Lake upkeep ran on its schedule, between commits (nothing old enough to expire yet).
    await service.waitForLine(
      (line) => line.event === 'lake.maintained' && line.table === 'lake_events',
      30_000,
    );
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    // On failure, show what the service complained about.
    const complaints = service.stdout.filter((l) => l.level === 'error' || l.level === 'fatal');
    expect({ ...exit, complaints: [...complaints, ...service.stderr].slice(0, 3) }).toMatchObject({
      code: 0,
      complaints: [],
    });

    // The service's chDB folder is free again: read its serving copies and the master dataset.
    const client = createWarehouseClient({
      kind: 'embedded',
      path: join(dataDir.path, 'chdb-batch'),
    });
    try {
      const [stats] = await (
        await client.query({
          query: `SELECT count() AS records, uniqExact(_kafka_partition, _kafka_offset) AS positions,
                         uniqExact(event_id) AS events FROM lake_events`,
          format: 'JSONEachRow',
        })
      ).json<ViewRow>();
      expect(stats).toEqual({
        records: String(produced.length),
        positions: String(produced.length),
        events: String(events.length),
      });
      for (const view of DEFAULT_VIEWS) {
        for (const grain of view.grains) {
          const rows = await (
            await client.query({
              query: servingCopyReadSql(view, grain, { table: servingTable(view) }),
              format: 'JSONEachRow',
            })
          ).json<ViewRow>();
          expect(sortViewRows(view, rows)).toEqual(referenceRows(view, grain, events));
        }
      }
    } finally {
      await client.close();
    }
  }, 180_000);
});
