import { execFile } from 'node:child_process';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import type { StoredEvent } from '@tributary/contracts';
import {
  createKafka,
  createProducer,
  runPartitionConsumer,
  topicEndOffsets,
} from '@tributary/messaging';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import {
  createTestDatabase,
  localServices,
  readTopic,
  tempDir,
  type TempDir,
  type TestDatabase,
  uniqueName,
  waitFor,
  workspaceTempDir,
} from '@tributary/testing';
import {
  alignCut,
  cutParams,
  DEFAULT_VIEWS,
  demoEvents,
  EVENTS_BY_TYPE_SOURCE,
  REVENUE_BY_CURRENCY,
  type Grain,
  realtimeMigrations,
  realtimeReadSql,
  referenceRows,
  rollupTable,
  servingCopyReadSql,
  servingMergedReadSql,
  servingQuerySql,
  sortViewRows,
  type ViewDefinition,
  type ViewRow,
} from '@tributary/views';
import {
  applyWarehouseMigrations,
  createWarehouseClient,
  EventsRtSink,
} from '@tributary/warehouse';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { parseSuite, QualityStore, type Suite } from '@tributary/quality';
import { qualityGate } from './quality-gate';
import {
  BatchRunner,
  coarserGrains,
  lakeViewTable,
  lakeViewTableCh,
  runCopyTable,
  type RunOutcome,
} from './batch-runner';
import { BatchStore } from './batch-store';
import { completeThrough } from './complete-through';
import { currentSnapshot } from './iceberg';
import { LakeStore } from './lake-store';
import { LakeWriter } from './lake-writer';
import { maintainLakeTable } from './maintenance';
import { Lease } from './lease';
import { MASTER_TABLE, MASTER_TABLE_CH } from './master-dataset';

const HOUR = 3_600_000;
const execFileAsync = promisify(execFile);

/** scripts/iceberg-read.sh: PyIceberg's reading of a table folder, as JSON. */
interface PyIcebergReading {
  current_snapshot_id: string | null;
  rows: number;
  rows_of: Array<Array<string | null>>;
}

async function readWithPyIceberg(folder: string, args: string[]): Promise<PyIcebergReading> {
  const { stdout } = await execFileAsync('bash', ['scripts/iceberg-read.sh', folder, ...args], {
    timeout: 170_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as PyIcebergReading;
}

function sortedText(rows: Array<Array<string | null>>): Array<Array<string | null>> {
  return rows
    .map((row) => JSON.stringify(row))
    .sort()
    .map((row) => JSON.parse(row) as Array<string | null>);
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`missing ${what}`);
  return value;
}

/** Polls until `condition` holds (waitFor polls until its probe stops throwing). */
async function until(
  condition: () => Promise<boolean>,
  options: { timeoutMs: number },
): Promise<void> {
  await waitFor(async () => {
    if (!(await condition())) throw new Error('condition not met in time');
  }, options);
}
const PARTITIONS = 3;

/**
 * The batch layer end to end on real Kafka, Postgres and chDB: the lake writer (group `lake`)
 * and the speed layer's sink consume the same topic — with client-retry copies and late events —
 * then batch runs recompute every default view from the Iceberg master dataset, and the answers
 * are compared with a reference computed here from the distinct events.
 */
describe('batch layer on Kafka + Iceberg (chDB) + Postgres', () => {
  let kafka: Kafka;
  let database: TestDatabase;
  let db: DataSource;
  let chdbDir: TempDir;
  let lakeDir: TempDir;
  let lakeRoot: string;
  let client: ClickHouseClient;
  let topic: string;
  let lakeStore: LakeStore;
  let batchStore: BatchStore;
  /** Every record produced, in order; `distinct` keeps the first-ingested copy of each event. */
  const produced: StoredEvent[] = [];
  let distinct: StoredEvent[] = [];
  const stops: Array<() => Promise<void>> = [];

  function keyOf(event: StoredEvent): string {
    return event.subject_id ?? event.event_id;
  }

  async function produce(events: readonly StoredEvent[]): Promise<void> {
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((e) => ({ key: keyOf(e), value: JSON.stringify(e) })),
    });
    await producer.disconnect();
    produced.push(...events);
    const seen = new Set<string>();
    distinct = [...produced]
      .sort((a, b) => Date.parse(a._ingested_at) - Date.parse(b._ingested_at))
      .filter((e) => !seen.has(e.event_id) && seen.add(e.event_id));
  }

  /** Demo events plus 10% client-retry copies (same event, ingested again a little later). */
  function batchOfEvents(seed: number, ingestedFrom: Date, spanMs: number): StoredEvent[] {
    const events = demoEvents({ count: 1500, seed, ingestedFrom, ingestedSpanMs: spanMs });
    const copies = events
      .filter((_, i) => i % 10 === 3)
      .map((e) => ({
        ...e,
        _ingested_at: new Date(Date.parse(e._ingested_at) + 2_000).toISOString(),
        _correlation_id: `retry-${e._correlation_id}`,
      }));
    return [...events, ...copies].sort(
      (a, b) => Date.parse(a._ingested_at) - Date.parse(b._ingested_at),
    );
  }

  const endOffsets = () => topicEndOffsets(kafka, topic);

  async function lakeCaughtUp(): Promise<boolean> {
    const progress = await lakeStore.progress(MASTER_TABLE);
    const ends = await endOffsets();
    return [...ends].every(
      ([partition, end]) =>
        end === 0n || progress.find((p) => p.partition === partition)?.lastOffset === end - 1n,
    );
  }

  async function rows(
    query: string,
    params: Record<string, unknown> = {},
    settings: Record<string, string> = {},
  ) {
    const result = await client.query({
      query,
      query_params: params,
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
    return result.json<ViewRow>();
  }

  function startLakeWriter(options: {
    fetchBytes: number;
    afterIcebergCommit?: () => Promise<void>;
  }) {
    const lease = new Lease(db, `lake:${MASTER_TABLE}`, uniqueName('writer'));
    const writer = new LakeWriter({
      client,
      store: lakeStore,
      location: { kind: 'local', root: lakeRoot },
      lease,
      commitRows: 2_000,
      commitIntervalMs: 300,
      afterIcebergCommit: options.afterIcebergCommit,
    });
    return { lease, writer, fetchBytes: options.fetchBytes };
  }

  async function runLakeWriter(options: { fetchBytes: number }) {
    const { lease, writer, fetchBytes } = startLakeWriter(options);
    await lease.acquire({ pollMs: 100 });
    await writer.prepare();
    const consumer = await runPartitionConsumer(kafka, {
      groupId: `${topic}.lake`,
      topic,
      sink: writer,
      maxBytesPerPartition: fetchBytes,
      retry: { initialMs: 50, maxMs: 500 },
    });
    const stop = async () => {
      await consumer.stop();
      await lease.release();
    };
    stops.push(stop);
    return stop;
  }

  function runner(extraSuites: Suite[] = []) {
    return new BatchRunner({
      client,
      store: batchStore,
      location: { kind: 'local', root: lakeRoot },
      checks: [qualityGate({ store: new QualityStore(db), suites: () => extraSuites })],
      completeThrough: async () =>
        completeThrough(await lakeStore.progress(MASTER_TABLE), await endOffsets(), new Date(), 0),
    });
  }

  beforeAll(async () => {
    kafka = createKafka({ brokers: localServices().kafkaBrokers, clientId: 'lake-spec' });
    topic = uniqueName('lake-events');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    database = await createTestDatabase('lake');
    db = createMetadataDataSource({ url: database.url });
    await db.initialize();
    await migrateMetadata(db);
    lakeStore = new LakeStore(db);
    batchStore = new BatchStore(db);
    chdbDir = tempDir('lake-chdb');
    // chDB writes Iceberg tables only inside the working directory.
    lakeDir = workspaceTempDir('lake');
    lakeRoot = lakeDir.path;
    client = createWarehouseClient({ kind: 'embedded', path: chdbDir.path });
    await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));
  });

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await client?.close();
    await db?.destroy();
    await database?.drop();
    chdbDir?.remove();
    lakeDir?.remove();
  });

  const firstFrom = new Date(alignCut(new Date()).getTime() - 5 * HOUR);
  let firstCut: Date;
  const firstRuns = new Map<string, string>();

  it('keeps every event in the master dataset once, also when the writer dies after an Iceberg commit', async () => {
    await produce(batchOfEvents(11, firstFrom, 2 * HOUR));
    // A first writer takes the first 300 records of partition 0 and "dies" right after its
    // Iceberg commit — before recording it or committing any offset (its commit never returns).
    // A new writer with another fetch size, so batch boundaries shift, takes over from what the
    // lake holds: the pending commit is found in the lake, its records are not written again.
    const firstRecords = (await readTopic(topic, produced.length))
      .filter((m) => m.partition === 0)
      .slice(0, 300);
    const { lease, writer } = startLakeWriter({
      fetchBytes: 0,
      afterIcebergCommit: () => new Promise<void>(() => undefined),
    });
    await lease.acquire({ pollMs: 100 });
    await writer.prepare();
    void writer.write(
      {
        topic,
        partition: 0,
        firstOffset: must(firstRecords[0], 'first record').offset,
        lastOffset: must(firstRecords.at(-1), 'last record').offset,
      },
      firstRecords.map((m) => ({ offset: m.offset, value: Buffer.from(m.value) })),
    );
    await until(async () => (await lakeStore.pending(MASTER_TABLE)).length === 1, {
      timeoutMs: 30_000,
    });
    await until(
      async () => (await rows(`SELECT count() AS n FROM ${MASTER_TABLE_CH}`))[0]?.n === '300',
      { timeoutMs: 30_000 },
    );
    await lease.release();
    await runLakeWriter({ fetchBytes: 100_000 });
    await until(lakeCaughtUp, { timeoutMs: 60_000 });

    const [stats] = await rows(
      `SELECT count() AS records, uniqExact(_kafka_partition, _kafka_offset) AS positions,
              uniqExact(event_id) AS events FROM ${MASTER_TABLE_CH}`,
    );
    expect(stats).toEqual({
      records: String(produced.length),
      positions: String(produced.length),
      events: String(distinct.length),
    });
    expect(await lakeStore.pending(MASTER_TABLE)).toEqual([]);
  }, 120_000);

  it('recomputes every default view at a cut; batch, real-time and reference agree', async () => {
    // The speed layer's sink on the same topic, for the real-time side.
    const eventsRt = new EventsRtSink(client, {});
    await eventsRt.prepare();
    const speed = await runPartitionConsumer(kafka, {
      groupId: `${topic}.speed`,
      topic,
      sink: {
        storedUpTo: (t, partition) => eventsRt.storedUpTo(t, partition),
        write: async (range, records) => void (await eventsRt.write(range, records)),
      },
    });
    stops.push(() => speed.stop());
    await until(
      async () =>
        (await rows(`SELECT count() AS n FROM events_rt`))[0]?.n === String(distinct.length),
      { timeoutMs: 60_000 },
    );

    firstCut = alignCut(new Date(firstFrom.getTime() + 70 * 60_000));
    for (const view of DEFAULT_VIEWS) {
      const outcome = await runner().run({ view, cut: firstCut });
      expect(outcome.run.checks.filter((c) => !c.passed)).toEqual([]);
      expect(outcome.published).toBe(true);
      expect(outcome.run.mode).toBe('full');
      expect(outcome.run.checks.every((c) => c.passed)).toBe(true);
      firstRuns.set(view.name, outcome.run.runId);
      for (const grain of view.grains) {
        const copy = runCopyTable(view, outcome.run.runId);
        const batch = await rows(servingCopyReadSql(view, grain, { table: copy }));
        expect(sortViewRows(view, batch)).toEqual(
          referenceRows(view, grain, distinct, { before: firstCut }),
        );
        await expectMergedEqualsReference(view, grain, copy, firstCut);
        if (coarserGrains(view).includes(grain)) {
          const rollup = await rows(
            servingCopyReadSql(view, grain, { table: rollupTable(copy, grain) }),
          );
          expect(sortViewRows(view, rollup)).toEqual(sortViewRows(view, batch));
        }
        const realtime = await rows(realtimeReadSql(view, grain));
        expect(sortViewRows(view, realtime)).toEqual(referenceRows(view, grain, distinct));
      }
    }
  }, 180_000);

  async function expectMergedEqualsReference(
    view: ViewDefinition,
    grain: Grain,
    copy: string,
    cut: Date,
  ) {
    const merged = await rows(servingMergedReadSql(view, grain, { table: copy }), cutParams(cut));
    expect(sortViewRows(view, merged)).toEqual(referenceRows(view, grain, distinct));
  }

  it('gates every publish on the view suites, stored as data-quality runs of the snapshot', async () => {
    const runs: Array<{ checkpoint: string; passed: boolean; snapshot_id: string }> =
      await db.query(
        `SELECT checkpoint, passed, snapshot_id FROM dq_runs WHERE checkpoint LIKE 'publish:%'`,
      );
    const expected = DEFAULT_VIEWS.flatMap((v) => v.grains.map((g) => `publish:${v.name}:${g}`));
    expect(runs.map((r) => r.checkpoint).sort()).toEqual(expected.sort());
    expect(runs.every((r) => r.passed && /^\d+$/.test(r.snapshot_id))).toBe(true);
  });

  it('writes each view to Iceberg with every grain, finalized, at a recorded snapshot', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const run = must(await batchStore.run(must(firstRuns.get(view.name), 'run id')), 'run');
    expect(run.outputSnapshotId).toMatch(/^\d+$/);
    expect(run.inputRows).toBe(
      distinct.filter((e) => Date.parse(e._ingested_at) < firstCut.getTime()).length,
    );
    const lake = await rows(
      `SELECT toString(bucket) AS bucket, type, source, events FROM lake_view_${view.name}
       WHERE grain = 'hour' ORDER BY bucket, type, source`,
      {},
      { iceberg_snapshot_id: must(run.outputSnapshotId, 'snapshot') },
    );
    const reference = referenceRows(view, 'hour', distinct, { before: firstCut });
    expect(lake.map((r) => ({ ...r, bucket: String(r.bucket).slice(0, 19) }))).toEqual(
      reference.map((r) => ({
        ...r,
        bucket: String(r.bucket).slice(0, 19),
        events: String(r.events),
      })),
    );
    expect(lakeViewTable(view)).toBe(`view_${view.name}`);
  });

  it('recomputes only the event days touched by newly ingested events, late ones included', async () => {
    // More events, ingested after the first cut, some of them late (for days already published).
    await produce(batchOfEvents(23, new Date(firstFrom.getTime() + 2 * HOUR), HOUR));
    await until(lakeCaughtUp, { timeoutMs: 60_000 });
    await until(
      async () =>
        (await rows(`SELECT count() AS n FROM events_rt`))[0]?.n === String(distinct.length),
      { timeoutMs: 60_000 },
    );
    const secondCut = new Date(firstFrom.getTime() + 3 * HOUR);
    for (const view of DEFAULT_VIEWS) {
      const outcome = await runner().run({ view, cut: secondCut });
      expect(outcome.published).toBe(true);
      expect(outcome.run.mode).toBe('incremental');
      const copy = runCopyTable(view, outcome.run.runId);
      for (const grain of view.grains) {
        const batch = await rows(servingCopyReadSql(view, grain, { table: copy }));
        expect(sortViewRows(view, batch)).toEqual(
          referenceRows(view, grain, distinct, { before: outcome.run.cut }),
        );
        await expectMergedEqualsReference(view, grain, copy, outcome.run.cut);
      }
      const watermark = await batchStore.watermark(view.name);
      expect(watermark?.runId).toBe(outcome.run.runId);
    }
  }, 180_000);

  it('publishes a view whose touched day holds only events it does not select', async () => {
    // One late page view, weeks back: a day revenue_by_currency (orders only) has no row for.
    const [page] = demoEvents({ count: 40, seed: 97, ingestedFrom: firstFrom, ingestedSpanMs: 1 })
      .filter((e) => e.type === 'page.viewed')
      .map((e) => ({
        ...e,
        event_id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
        occurred_at: new Date(firstFrom.getTime() - 20 * 24 * HOUR).toISOString(),
        _ingested_at: new Date(firstFrom.getTime() + 3 * HOUR + 5 * 60_000).toISOString(),
      }));
    await produce([page]);
    await until(lakeCaughtUp, { timeoutMs: 60_000 });
    const view = REVENUE_BY_CURRENCY;
    const before = must(await batchStore.watermark(view.name), 'watermark');
    const outcome = await runner().run({
      view,
      cut: new Date(firstFrom.getTime() + 3 * HOUR + 10 * 60_000),
    });
    expect(outcome.published).toBe(true);
    expect(outcome.run.touchedDays).toEqual([page.occurred_at.slice(0, 10)]);
    // Nothing of the view changed, so the Iceberg table keeps the snapshot it had.
    expect(outcome.run.outputSnapshotId).toBe(
      must(await batchStore.run(before.runId), 'run').outputSnapshotId,
    );
    const copy = runCopyTable(view, outcome.run.runId);
    for (const grain of view.grains) {
      const batch = await rows(servingCopyReadSql(view, grain, { table: copy }));
      expect(sortViewRows(view, batch)).toEqual(
        referenceRows(view, grain, distinct, { before: outcome.run.cut }),
      );
    }
  }, 120_000);

  it('answers exactly while a run sits between write and publish, and after it publishes', async () => {
    const view = REVENUE_BY_CURRENCY;
    await produce(batchOfEvents(41, new Date(firstFrom.getTime() + 3.5 * HOUR), 10 * 60_000));
    await until(lakeCaughtUp, { timeoutMs: 60_000 });
    await until(
      async () =>
        (await rows(`SELECT count() AS n FROM events_rt`))[0]?.n === String(distinct.length),
      { timeoutMs: 60_000 },
    );
    const merged = async () => {
      const mark = must(await batchStore.watermark(view.name), 'watermark');
      const { sql, params } = servingQuerySql(view, {
        grain: 'hour',
        dimensions: view.dimensions.map((d) => d.name),
        measures: view.measures.map((m) => m.name),
        limit: 100_000,
        batch: { table: runCopyTable(view, mark.runId), cut: mark.cut },
      });
      return { mark, rows: await rows(sql, params) };
    };
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const paused = new BatchRunner({
      client,
      store: batchStore,
      location: { kind: 'local', root: lakeRoot },
      completeThrough: async () =>
        completeThrough(await lakeStore.progress(MASTER_TABLE), await endOffsets(), new Date(), 0),
      beforePublish: async () => {
        held();
        await gate;
      },
    });
    const run = paused.run({ view });
    await holding; // written and audited, not published
    const during = await merged();
    expect(during.rows).toEqual(referenceRows(view, 'hour', distinct));
    release();
    const outcome = await run;
    expect(outcome.published).toBe(true);
    const after = await merged();
    expect(after.mark.runId).toBe(outcome.run.runId);
    expect(after.mark.cut.getTime()).toBeGreaterThan(during.mark.cut.getTime());
    expect(after.rows).toEqual(referenceRows(view, 'hour', distinct));
  }, 120_000);

  it('keeps the previous view and watermark live when a check fails, and records why', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const before = await batchStore.watermark(view.name);
    await produce(batchOfEvents(31, new Date(firstFrom.getTime() + 3 * HOUR), 20 * 60_000));
    await until(lakeCaughtUp, { timeoutMs: 60_000 });
    // Cut: as far as the lake is complete (every partition caught up: now, aligned).
    const suite = parseSuite(
      [
        'suite: events_small',
        'expectations:',
        '  - type: value_range',
        '    column: events',
        '    max: 1',
      ].join('\n'),
      'events_small.yaml',
    );
    const outcome = await runner([suite]).run({ view });
    expect(outcome.run.cut.getTime()).toBeGreaterThan(must(before, 'watermark').cut.getTime());
    expect(outcome.published).toBe(false);
    expect(outcome.run.status).toBe('blocked');
    const failed = outcome.run.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.name)).toEqual(['dq:view_suites']);
    expect(failed[0]?.observed).toMatch(/^minute: events_small: value_range:events — /);
    const blocked: Array<{ passed: boolean }> = await db.query(
      `SELECT passed FROM dq_runs WHERE suite = 'events_small'`,
    );
    expect(blocked.length).toBe(view.grains.length);
    expect(blocked.every((r) => !r.passed)).toBe(true);
    expect(await batchStore.watermark(view.name)).toEqual(before);
    const tables = await rows(`SELECT name FROM system.tables WHERE name = {name:String}`, {
      name: runCopyTable(view, outcome.run.runId),
    });
    expect(tables).toEqual([]);
  }, 120_000);

  it('reads an earlier snapshot of a view (time travel) after newer runs', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const first = must(await batchStore.run(must(firstRuns.get(view.name), 'run id')), 'run');
    const [then] = await rows(
      `SELECT sum(events) AS n FROM lake_view_${view.name} WHERE grain = 'day'`,
      {},
      { iceberg_snapshot_id: must(first.outputSnapshotId, 'snapshot') },
    );
    const [now] = await rows(
      `SELECT sum(events) AS n FROM lake_view_${view.name} WHERE grain = 'day'`,
    );
    expect(then?.n).toBe(
      String(distinct.filter((e) => Date.parse(e._ingested_at) < firstCut.getTime()).length),
    );
    expect(Number(now?.n)).toBeGreaterThan(Number(then?.n));
  });

  it('does not repeat a run that already published (a job that runs twice)', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const runId = must(firstRuns.get(view.name), 'run id');
    const again = await runner().run({ view, runId });
    expect(again.repeated).toBe(true);
    expect(again.run.runId).toBe(runId);
  });
  it('never runs one view twice at the same time (a lease per view)', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const leased = new BatchRunner({
      client,
      store: batchStore,
      location: { kind: 'local', root: lakeRoot },
      leaseFor: (name) => new Lease(db, name, uniqueName('runner')),
      completeThrough: async () =>
        completeThrough(await lakeStore.progress(MASTER_TABLE), await endOffsets(), new Date(), 0),
    });
    const first = leased.run({ view, mode: 'full' });
    const second = leased.run({ view, mode: 'full' });
    const outcomes = await Promise.allSettled([first, second]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(
      /another run of view 'events_by_type_source' is in progress/,
    );
    const done = outcomes.find((o) => o.status === 'fulfilled');
    expect((done as PromiseFulfilledResult<RunOutcome>).value.published).toBe(true);
  });
  /** The rows of a chDB query as arrays of text, sorted — the shape `iceberg-read.sh --rows` prints. */
  async function textRows(query: string, settings: Record<string, string> = {}) {
    const result = await rows(query, {}, settings);
    return sortedText(
      result.map((row) => Object.values(row).map((v) => (v === null ? null : String(v)))),
    );
  }

  it('is read by PyIceberg — a reader other than ClickHouse — with the same rows, now and at an older snapshot', async () => {
    // Master dataset: every row (identity, position, type, ingestion time) at the current snapshot
    // and at the first one (time travel), compared with what chDB reads.
    const events = join(lakeRoot, MASTER_TABLE);
    const columns =
      'event_id, toString(_kafka_partition), toString(_kafka_offset), type, toString(_ingested_at)';
    const current = await readWithPyIceberg(events, [
      '--rows',
      'event_id,_kafka_partition,_kafka_offset,type,_ingested_at',
    ]);
    expect(current.current_snapshot_id).toBe(await currentSnapshot(client, MASTER_TABLE_CH));
    expect(current.rows).toBe(produced.length);
    expect(sortedText(current.rows_of)).toEqual(
      await textRows(`SELECT ${columns} FROM ${MASTER_TABLE_CH}`),
    );
    const [oldest] = await rows(
      `SELECT toString(snapshot_id) AS id FROM system.iceberg_history
       WHERE database = currentDatabase() AND table = '${MASTER_TABLE_CH}' ORDER BY made_current_at LIMIT 1`,
    );
    const oldestId = String(must(oldest, 'oldest snapshot').id);
    const past = await readWithPyIceberg(events, [
      '--snapshot-id',
      oldestId,
      '--rows',
      'event_id,_kafka_partition,_kafka_offset,type,_ingested_at',
    ]);
    const pastChdb = await textRows(`SELECT ${columns} FROM ${MASTER_TABLE_CH}`, {
      iceberg_snapshot_id: oldestId,
    });
    expect(pastChdb.length).toBeGreaterThan(0);
    expect(pastChdb.length).toBeLessThan(produced.length);
    expect(sortedText(past.rows_of)).toEqual(pastChdb);

    // A view table, rewritten by several runs (so with position deletes): the current snapshot.
    const view = EVENTS_BY_TYPE_SOURCE;
    const table = lakeViewTableCh(view);
    const read = await readWithPyIceberg(join(lakeRoot, lakeViewTable(view)), [
      '--rows',
      'grain,bucket,type,source,events',
    ]);
    const expected = await textRows(
      `SELECT grain, toString(bucket), type, source, toString(events) FROM ${table}`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(sortedText(read.rows_of)).toEqual(expected);
  }, 240_000);

  it('compacts, expires old snapshots and deletes orphan files, leaving the rows as they were', async () => {
    const [before] = await rows(
      `SELECT count() AS n, sum(_kafka_offset) AS o FROM ${MASTER_TABLE_CH}`,
    );
    const orphan = join(lakeRoot, MASTER_TABLE, 'data', 'orphan-from-a-crashed-commit.parquet');
    writeFileSync(orphan, 'not referenced by any snapshot');
    const dayAgo = new Date(Date.now() - 86_400_000);
    utimesSync(orphan, dayAgo, dayAgo);
    const outcome = await maintainLakeTable(client, MASTER_TABLE_CH, {
      retainMs: 0,
      orphanAgeMs: 3_600_000,
      compaction: {
        location: { kind: 'local', root: lakeRoot },
        table: MASTER_TABLE,
        targetSizeBytes: 128 * 1024 * 1024,
      },
    });
    // The lake writer's many small commits, compacted into one replace snapshot first.
    const compaction = must(outcome.compaction, 'compaction outcome');
    expect(compaction.partitions).toBeGreaterThan(0);
    expect(compaction.dataFilesAfter).toBeLessThan(compaction.dataFilesBefore);
    expect(outcome.snapshotsBefore).toBeGreaterThan(1);
    expect(outcome.snapshotsAfter).toBe(1);
    expect(outcome.expiredManifestLists).toBe(outcome.snapshotsBefore);
    expect(outcome.removedOrphanFiles).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    const [after] = await rows(
      `SELECT count() AS n, sum(_kafka_offset) AS o FROM ${MASTER_TABLE_CH}`,
    );
    expect(after).toEqual(before);
    // Still valid Iceberg for another reader after the replace and the expiry.
    const read = await readWithPyIceberg(join(lakeRoot, MASTER_TABLE), [
      '--rows',
      'event_id,_kafka_partition,_kafka_offset',
    ]);
    expect(sortedText(read.rows_of)).toEqual(
      await textRows(
        `SELECT event_id, toString(_kafka_partition), toString(_kafka_offset) FROM ${MASTER_TABLE_CH}`,
      ),
    );
  }, 180_000);

  it('compacts a view table, its position deletes included, leaving its rows', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const table = lakeViewTableCh(view);
    const select = `SELECT grain, toString(bucket), type, source, toString(events) FROM ${table}`;
    const before = await textRows(select);
    const outcome = await maintainLakeTable(client, table, {
      retainMs: 86_400_000,
      orphanAgeMs: 86_400_000,
      compaction: {
        location: { kind: 'local', root: lakeRoot },
        table: lakeViewTable(view),
        targetSizeBytes: 128 * 1024 * 1024,
      },
    });
    // Every run rewrote touched days with a delete: each grain's files and deletes become one file.
    const compaction = must(outcome.compaction, 'compaction outcome');
    expect(compaction).toEqual(
      expect.objectContaining({
        partitions: view.grains.length,
        dataFilesAfter: view.grains.length,
      }),
    );
    expect(compaction.removedDeleteFiles).toBeGreaterThan(0);
    expect(await textRows(select)).toEqual(before);
    const read = await readWithPyIceberg(join(lakeRoot, lakeViewTable(view)), [
      '--rows',
      'grain,bucket,type,source,events',
    ]);
    expect(sortedText(read.rows_of)).toEqual(before);
    // A later run deletes and rewrites on top of the replace snapshot: the same events, the same rows.
    const rerun = await runner().run({ view, mode: 'full' });
    expect(rerun.published).toBe(true);
    expect(await textRows(select)).toEqual(before);
  }, 180_000);
});
