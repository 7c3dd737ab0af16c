import { deriveRowEventId, type StoredEvent } from '@tributary/contracts';
import {
  createTestDatabase,
  localServices,
  readTopic,
  type TestDatabase,
  tempDir,
  type TempDir,
  workspaceTempDir,
} from '@tributary/testing';
import { createWarehouseClient } from '@tributary/warehouse';
import { Client } from 'pg';
import { parseConnector } from '../config/parse-connector';
import { Connectors } from '../connectors';
import { ConnectorError } from '../run/connector-error';
import {
  type ConnectorFixture,
  connectorFixture,
  cuttableProxy,
} from '../testing/connector-fixture';

const ORDER_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    status: { type: 'string' },
    amount: { type: 'integer' },
    updated_at: { type: 'string' },
  },
  required: ['id', 'status', 'amount', 'updated_at'],
  additionalProperties: false,
};

const BASE = '2026-11-20 10:00:00+00';

function connectorYaml(name: string, extra = ''): string {
  return `
connector: ${name}
event_type: orders.row
source: orders-db
primary_key: [id]
subject: id
retry: { attempts: 3, backoff: 50ms, max_backoff: 200ms }
timeout: 2m
postgres:
  url_env: ORDERS_URL
  table: public.${name}
  watermark: { column: updated_at, type: timestamp, overlap: 1m }
  tie_breaker: id
  page_size: 2
${extra}`;
}

describe('Postgres connector (real Postgres, Kafka and chDB)', () => {
  let fx: ConnectorFixture;
  let source: TestDatabase;
  let sql: Client;
  let chdb: TempDir;
  let lake: TempDir;
  let client: ReturnType<typeof createWarehouseClient>;

  beforeAll(async () => {
    fx = await connectorFixture('conn_pg');
    await fx.registry.register('orders.row', ORDER_SCHEMA);
    source = await createTestDatabase('conn_src');
    sql = new Client({ connectionString: source.url, options: '-c TimeZone=UTC' });
    await sql.connect();
    chdb = tempDir('conn-chdb');
    lake = workspaceTempDir('conn-lake');
    client = createWarehouseClient({ kind: 'embedded', path: chdb.path });
  });

  afterAll(async () => {
    await client?.close();
    await sql?.end();
    await source?.drop();
    await fx?.close();
    chdb?.remove();
    lake?.remove();
  });

  const table = async (name: string) =>
    sql.query(`CREATE TABLE ${name} (id integer PRIMARY KEY, status text NOT NULL,
      amount integer NOT NULL, updated_at timestamptz NOT NULL)`);
  const upsert = (name: string, id: number, status: string, amount: number, offset: string) =>
    sql.query(
      `INSERT INTO ${name} VALUES ($1, $2, $3, $4::timestamptz + $5::interval)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, amount = EXCLUDED.amount,
         updated_at = EXCLUDED.updated_at`,
      [id, status, amount, BASE, offset],
    );
  /** The ids of the row versions the source holds now, as the connector must derive them. */
  const versionIds = async (name: string) =>
    (
      await sql.query<{ id: string; v: string }>(
        `SELECT id::text, updated_at::text AS v FROM ${name}`,
      )
    ).rows.map((r) => deriveRowEventId('orders-db', `public.${name}`, [r.id], r.v));
  const published = async (topic: string, count: number) => {
    const messages = await readTopic(topic, count);
    const total = await fx.recordsOn(topic);
    return { events: messages.map((m) => JSON.parse(m.value) as StoredEvent), total };
  };

  it('publishes every row version exactly once across runs with late commits and shared watermarks, and keeps the entity table equal to the source', async () => {
    await table('orders');
    const config = parseConnector(
      connectorYaml(
        'orders',
        `entity:
  table: orders
  columns: { id: Int64, status: String, amount: Int64, updated_at: "DateTime64(6, 'UTC')" }`,
      ),
      'orders.yaml',
    );
    const connectors = new Connectors([config], {
      db: fx.db,
      bus: fx.bus,
      schemas: fx.registry,
      publish: fx.publish,
      env: { ORDERS_URL: source.url },
      warehouse: { client, location: { kind: 'local', root: lake.path } },
    });
    const expected = new Set<string>();
    const run = async () => {
      for (const id of await versionIds('orders')) expected.add(id);
      return connectors.run('orders', { mode: 'manual' });
    };

    // Five rows, three of them sharing one watermark value; pages of two split that group.
    await upsert('orders', 1, 'new', 10, '1 second');
    await upsert('orders', 2, 'new', 20, '1 second');
    for (const id of [3, 4, 5]) await upsert('orders', id, 'new', id * 10, '2 seconds');
    const first = await run();
    expect(first).toMatchObject({ read: 5, published: 5, rejected: 0, skipped: 0 });
    expect(first.watermarkAfter).toBe('2026-11-20 10:00:02+00');

    // An update and two inserts sharing a microsecond watermark, and a row that commits late
    // with a value below the committed watermark (inside the 1 minute overlap).
    await upsert('orders', 2, 'shipped', 20, '10.123456 seconds');
    await upsert('orders', 6, 'new', 60, '10.123456 seconds');
    await upsert('orders', 7, 'new', 70, '10.123456 seconds');
    await upsert('orders', 8, 'late', 80, '1.5 seconds');
    const second = await run();
    expect(second).toMatchObject({ published: 4, rejected: 0 });
    expect(second.skipped).toBe(4); // 1, 3, 4, 5 re-read inside the overlap window
    expect(second.watermarkAfter).toBe('2026-11-20 10:00:10.123456+00');

    await upsert('orders', 9, 'late', 90, '9 seconds');
    await upsert('orders', 1, 'paid', 11, '20 seconds');
    expect(await run()).toMatchObject({ published: 2 });
    // Nothing new: every row lies inside the minute of overlap, all already published.
    expect(await run()).toMatchObject({ published: 0, read: 9, skipped: 9 });

    const { events, total } = await published(fx.topics.eventsTopic, expected.size);
    expect(total).toBe(expected.size); // nothing on the topic twice
    expect(new Set(events.map((e) => e.event_id))).toEqual(expected);
    const late = events.find((e) => e.properties.id === 8);
    expect(late).toMatchObject({
      type: 'orders.row',
      subject_id: '8',
      occurred_at: '2026-11-20T10:00:01.500Z',
      _source: 'orders-db',
      properties: { id: 8, status: 'late', amount: 80, updated_at: '2026-11-20T10:00:01.5+00:00' },
    });
    expect(late?._extracted_at).toEqual(expect.any(String));
    expect(late?._correlation_id).toMatch(/^connector:orders:/);

    const lakeRows = (await connectors.entityTable(config)?.rows()) ?? [];
    const sourceRows = await sql.query(
      `SELECT id::text, status, amount::text,
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS updated_at
       FROM orders ORDER BY id`,
    );
    expect(lakeRows).toEqual(sourceRows.rows);
    const runs = await connectors.store.runs('orders');
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);

    // A backfill publishes its range again with the same ids and leaves the watermark alone.
    const backfill = await connectors.run('orders', {
      mode: 'backfill',
      range: { from: '2026-11-20 10:00:01+00', to: '2026-11-20 10:00:03+00' },
    });
    expect(backfill).toMatchObject({ read: 4, published: 4, skipped: 0 });
    expect((await connectors.store.state('orders'))?.watermark?.value).toBe(
      '2026-11-20 10:00:20+00',
    );
    const again = await published(fx.topics.eventsTopic, expected.size + 4);
    expect(again.total).toBe(expected.size + 4);
    expect(new Set(again.events.map((e) => e.event_id))).toEqual(expected);
  });

  it('retries with backoff while the source does not answer, fails with the watermark unchanged, and the next run resumes there', async () => {
    await table('refunds');
    const proxy = await cuttableProxy(Number(new URL(localServices().postgresUrl).port));
    const url = new URL(source.url);
    url.port = String(proxy.port);
    const config = parseConnector(
      connectorYaml('refunds').replace('orders.row', 'orders.row'),
      'refunds.yaml',
    );
    const retries: number[] = [];
    const connectors = new Connectors([config], {
      db: fx.db,
      bus: fx.bus,
      schemas: fx.registry,
      publish: { ...fx.publish, eventsTopic: `${fx.topics.eventsTopic}-refunds` },
      env: { ORDERS_URL: url.toString() },
    });
    try {
      for (const id of [1, 2, 3]) await upsert('refunds', id, 'new', id, `${id} seconds`);
      const good = await connectors.run('refunds', { mode: 'manual' });
      expect(good).toMatchObject({ published: 3, watermarkAfter: '2026-11-20 10:00:03+00' });

      for (let id = 4; id <= 13; id += 1) await upsert('refunds', id, 'new', id, `${id} seconds`);
      const failed = connectors.run('refunds', {
        mode: 'manual',
        // The source goes away after three pages: rows 1-3 re-read in the overlap (skipped),
        // rows 4-6 published.
        onProgress: ({ done }) => {
          if (done === 6) void proxy.cut();
        },
        onRetry: ({ delayMs }) => retries.push(delayMs),
      });
      await expect(failed).rejects.toThrow(ConnectorError);
      await expect(failed).rejects.toThrow(/after 3 attempts/);
      expect(retries).toHaveLength(2);
      expect(retries[0]).toBeGreaterThanOrEqual(25);
      expect(retries[0]).toBeLessThanOrEqual(50);
      expect(retries[1]).toBeGreaterThanOrEqual(50);
      expect(retries[1]).toBeLessThanOrEqual(100);
      const [failedRun] = await connectors.store.runs('refunds');
      expect(failedRun).toMatchObject({
        status: 'failed',
        attempts: 3,
        published: 3,
        skipped: 3,
        watermarkBefore: '2026-11-20 10:00:03+00',
        watermarkAfter: '2026-11-20 10:00:03+00',
      });
      expect((await connectors.store.state('refunds'))?.watermark?.value).toBe(
        '2026-11-20 10:00:03+00',
      );

      await proxy.restore();
      const resumed = await connectors.run('refunds', { mode: 'manual' });
      expect(resumed).toMatchObject({
        published: 7,
        skipped: 6,
        watermarkBefore: '2026-11-20 10:00:03+00',
        watermarkAfter: '2026-11-20 10:00:13+00',
      });
      const expected = new Set(await versionIds('refunds'));
      const { events, total } = await published(`${fx.topics.eventsTopic}-refunds`, 13);
      expect(total).toBe(13);
      expect(new Set(events.map((e) => e.event_id))).toEqual(expected);
    } finally {
      await proxy.close();
    }
  });
});
