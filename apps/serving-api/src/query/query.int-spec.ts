import { join } from 'node:path';
import type { StoredEvent } from '@tributary/contracts';
import { BatchStore, coarserGrains, runCopyTable } from '@tributary/lake';
import { ReadTokens } from '@tributary/registry';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { startTestService, type TestService } from '@tributary/platform';
import {
  createTestDatabase,
  parsePrometheusText,
  tempDir,
  type TempDir,
  type TestDatabase,
} from '@tributary/testing';
import {
  alignCut,
  cutParams,
  DEFAULT_VIEWS,
  demoEvents,
  EVENTS_BY_TYPE_SOURCE,
  REVENUE_BY_CURRENCY,
  SIGNUPS_BY_PLAN,
  realtimeMigrations,
  referenceRows,
  rollupTable,
  servingCopyDdl,
  servingCopyLoadSql,
  servingRollupSql,
  sortViewRows,
  toEventsRtRow,
  type ViewDefinition,
  type ViewRow,
} from '@tributary/views';
import { applyWarehouseMigrations, createWarehouseClient } from '@tributary/warehouse';
import { tableFromIPC } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import type { DataSource } from 'typeorm';
import { servingApi } from '../serving-api.service';

const HOUR = 3_600_000;

/**
 * The serving API over a published batch copy and the real-time tables (chDB, Postgres): every
 * answer equals the reference computed here from the same events, in JSON and CSV, with filters,
 * paging and time travel; bad requests get their reason.
 */
describe('serving-api /v1/query', () => {
  let database: TestDatabase;
  let db: DataSource;
  let dir: TempDir;
  let service: TestService;
  let events: StoredEvent[];
  let start: Date;
  let token: string;
  const runs = new Map<string, { first: string; firstCut: Date; secondCut: Date }>();

  /** Publishes a run of `view` at `cut` the way the batch runner does: copy + one transaction. */
  async function publish(
    client: ReturnType<typeof createWarehouseClient>,
    store: BatchStore,
    view: ViewDefinition,
    cut: Date,
    runId: string,
  ) {
    const table = runCopyTable(view, runId);
    await client.command({ query: servingCopyDdl(view, table) });
    await client.command({
      query: servingCopyLoadSql(view, { relation: 'events_rt', into: table, cut: true }),
      query_params: cutParams(cut),
    });
    for (const grain of coarserGrains(view)) {
      // Roll-ups as the batch runner writes them: coarse-grain queries read these.
      await client.command({ query: servingCopyDdl(view, rollupTable(table, grain)) });
      await client.command({
        query: servingRollupSql(view, grain, { from: table, into: rollupTable(table, grain) }),
      });
    }
    await store.start({ runId, view: view.name, mode: 'full', cut, previousCut: null });
    await store.publish(runId, view.name, cut);
  }

  beforeAll(async () => {
    database = await createTestDatabase('serving_query');
    db = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(db);
    dir = tempDir('serving-query-api');
    const client = createWarehouseClient({ kind: 'embedded', path: join(dir.path, 'chdb') });
    await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));
    start = new Date(alignCut(new Date()).getTime() - 3 * HOUR);
    events = demoEvents({
      count: 2_000,
      seed: 29,
      ingestedFrom: start,
      ingestedSpanMs: 3 * HOUR - 1,
    });
    await client.insert({
      table: 'events_rt',
      values: events.map((e, i) => toEventsRtRow(e, { partition: 0, offset: String(i) })),
      format: 'JSONEachRow',
    });
    const store = new BatchStore(db);
    for (const view of [EVENTS_BY_TYPE_SOURCE, REVENUE_BY_CURRENCY]) {
      const firstCut = new Date(start.getTime() + 50 * 60_000);
      const secondCut = new Date(start.getTime() + 130 * 60_000);
      await publish(client, store, view, firstCut, `${view.name}-first`);
      await publish(client, store, view, secondCut, `${view.name}-second`);
      runs.set(view.name, { first: `${view.name}-first`, firstCut, secondCut });
    }
    await client.close();
    token = (await new ReadTokens(db).create('spec')).token;
    service = await startTestService(servingApi, {
      TRIBUTARY_DATA_DIR: dir.path,
      TRIBUTARY_POSTGRES_URL: database.url,
      TRIBUTARY_SERVING_MAX_ROWS: '5000',
      TRIBUTARY_SERVING_RATE_LIMIT: '10000',
    });
  });

  afterAll(async () => {
    await service?.stop('test done');
    await db?.destroy();
    await database?.drop();
    dir?.remove();
  });

  const auth = () => ({ authorization: `Bearer ${token}` });
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/v1/query?${query}`, { headers: { ...auth(), ...headers } });

  it('lists the views with their batch watermark and real-time freshness', async () => {
    const response = await fetch(`${service.url}/v1/views`, { headers: auth() });
    expect(response.status).toBe(200);
    const { views } = (await response.json()) as {
      views: Array<{ name: string; batch: unknown; realtime: { newest_ingested_bucket: string } }>;
    };
    expect(views.map((v) => v.name)).toEqual(DEFAULT_VIEWS.map((v) => v.name));
    const byType = views.find((v) => v.name === EVENTS_BY_TYPE_SOURCE.name);
    expect(byType?.batch).toMatchObject({
      cut: runs.get(EVENTS_BY_TYPE_SOURCE.name)?.secondCut.toISOString(),
      run_id: `${EVENTS_BY_TYPE_SOURCE.name}-second`,
    });
    expect(byType?.realtime.newest_ingested_bucket).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:00$/);
    expect(views.find((v) => v.name === 'active_subjects')?.batch).toBeNull();
  });

  it.each(DEFAULT_VIEWS.flatMap((view) => view.grains.map((grain) => ({ view, grain }))))(
    'answers $view.name by $grain exactly: batch at T_b plus real-time from T_b',
    async ({ view, grain }) => {
      const response = await get(`view=${view.name}&grain=${grain}&limit=5000`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { meta: Record<string, unknown>; rows: ViewRow[] };
      expect(body.rows).toEqual(referenceRows(view, grain, events));
      expect(body.meta).toMatchObject({
        view: view.name,
        grain,
        rows: body.rows.length,
        next_cursor: null,
      });
      expect(typeof body.meta.correlation_id).toBe('string');
    },
  );

  it('gives the same rows as CSV (RFC 4180, parsed by csv-parse) as in JSON', async () => {
    const query = `view=${REVENUE_BY_CURRENCY.name}&grain=hour&limit=5000`;
    const json = (await (await get(query)).json()) as { rows: ViewRow[] };
    const response = await get(query, { accept: 'text/csv' });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const records = parse(await response.text(), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(records).toEqual(
      json.rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)])),
      ),
    );
  });

  it('gives the same rows as an Arrow IPC stream (read by apache-arrow) as in JSON', async () => {
    const query = `view=${REVENUE_BY_CURRENCY.name}&grain=day&limit=5000`;
    const json = (await (await get(query)).json()) as { rows: ViewRow[] };
    const response = await get(query, { accept: 'application/vnd.apache.arrow.stream' });
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'bucket:Timestamp<MILLISECOND, UTC>',
      'currency:Utf8',
      'orders:Int64',
      'revenue:Float64',
      'smallest_order:Float64',
      'largest_order:Float64',
      'items:Int64',
    ]);
    const fromArrow = table.toArray().map((row: { toJSON(): Record<string, unknown> }) => {
      const r = row.toJSON();
      return Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          k === 'bucket'
            ? new Date(Number(v)).toISOString().replace('T', ' ').slice(0, 19)
            : typeof v === 'bigint'
              ? String(v)
              : v,
        ]),
      );
    });
    expect(fromArrow).toEqual(json.rows);
  });

  it('applies filters on declared dimensions and a subset of dimensions (POST)', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const filters = [
      { dimension: 'type', op: 'in' as const, values: ['page.viewed', 'order.placed'] },
      { dimension: 'source', op: 'ne' as const, values: ['ios'] },
    ];
    const response = await fetch(`${service.url}/v1/query`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ view: view.name, grain: 'day', dimensions: ['type'], filters }),
    });
    expect(response.status).toBe(200);
    const { rows } = (await response.json()) as { rows: ViewRow[] };
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(referenceRows(view, 'day', events, {}, { dimensions: ['type'], filters }));
  });

  it('pages with a cursor', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const all = (
      (await (await get(`view=${view.name}&grain=hour&limit=5000`)).json()) as { rows: ViewRow[] }
    ).rows;
    const first = (await (await get(`view=${view.name}&grain=hour&limit=7`)).json()) as {
      rows: ViewRow[];
      meta: { next_cursor: string };
    };
    const second = (await (
      await get(`view=${view.name}&grain=hour&limit=7&cursor=${first.meta.next_cursor}`)
    ).json()) as { rows: ViewRow[] };
    expect([...first.rows, ...second.rows]).toEqual(all.slice(0, 14));
  });

  it('travels back: as_of a run id answers from that run alone', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    const run = runs.get(view.name);
    if (!run) throw new Error('no runs published for the view');
    const response = await get(`view=${view.name}&grain=day&limit=5000&as_of=${run.first}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rows: ViewRow[]; meta: Record<string, unknown> };
    expect(sortViewRows(view, body.rows)).toEqual(
      referenceRows(view, 'day', events, { before: run.firstCut }),
    );
    expect(body.meta).toMatchObject({
      as_of: run.first,
      batch: { cut: run.firstCut.toISOString() },
    });
  });

  it('names an as_of answer with an ETag: a conditional GET gets 304, repeats come from the cache', async () => {
    const run = runs.get(EVENTS_BY_TYPE_SOURCE.name);
    if (!run) throw new Error('no runs published for the view');
    const query = `view=${EVENTS_BY_TYPE_SOURCE.name}&grain=hour&limit=5000&as_of=${run.first}`;
    const first = await get(query);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    const body = await first.json();
    const again = await get(query);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.json()).toMatchObject({ rows: (body as { rows: ViewRow[] }).rows });
    const conditional = await get(query, { 'if-none-match': etag as string });
    expect(conditional.status).toBe(304);
    // A live answer can still change (late events reach past buckets): not cacheable.
    const live = await get(`view=${EVENTS_BY_TYPE_SOURCE.name}&grain=hour`);
    expect(live.headers.get('cache-control')).toBe('no-store');
    expect(live.headers.get('etag') ?? '').not.toMatch(/^"[\w-]{32}"$/);
  });

  it.each([
    ['view=nope', 404, /no view 'nope'/],
    [
      `view=${EVENTS_BY_TYPE_SOURCE.name}&dimensions=type;DROP TABLE events_rt`,
      400,
      /is not a dimension/,
    ],
    [
      `view=${EVENTS_BY_TYPE_SOURCE.name}&filter=subject_id:eq:x`,
      400,
      /cannot filter on 'subject_id'/,
    ],
    [
      `view=${EVENTS_BY_TYPE_SOURCE.name}&filter=type:like:%25`,
      400,
      /unknown filter operator 'like'/,
    ],
    [`view=${EVENTS_BY_TYPE_SOURCE.name}&limit=6000`, 422, /TRIBUTARY_SERVING_MAX_ROWS/],
    [`view=${EVENTS_BY_TYPE_SOURCE.name}&from=yesterday`, 400, /ISO-8601 time with a zone/],
    [`view=${EVENTS_BY_TYPE_SOURCE.name}&as_of=no-such-run`, 404, /no published run 'no-such-run'/],
    [`view=${EVENTS_BY_TYPE_SOURCE.name}&format=parquet`, 406, /json, csv or arrow/],
    [`view=${EVENTS_BY_TYPE_SOURCE.name}&grain=day&tz=Mars/Olympus`, 400, /unknown time zone/],
    [`view=${SIGNUPS_BY_PLAN.name}&grain=day&tz=Europe/Paris`, 400, /keeps day buckets only/],
  ])('refuses %s with %i and the reason', async (query, status, reason) => {
    const response = await get(query);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(reason);
  });

  it('counts rows returned, as_of cache hits and refused queries in /metrics', async () => {
    const families = parsePrometheusText(await (await fetch(`${service.url}/metrics`)).text());
    const sample = (name: string, labels: Record<string, string>) =>
      Number(
        families
          .find((f) => f.name === `tributary_${name}`)
          ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
          ?.value ?? 0,
      );
    expect(
      sample('query_rows_returned_total', { view: EVENTS_BY_TYPE_SOURCE.name, format: 'json' }),
    ).toBeGreaterThan(0);
    expect(
      sample('query_rows_returned_total', { view: REVENUE_BY_CURRENCY.name, format: 'arrow' }),
    ).toBeGreaterThan(0);
    expect(
      sample('query_cache_total', { view: EVENTS_BY_TYPE_SOURCE.name, result: 'hit' }),
    ).toBeGreaterThan(0);
    expect(sample('query_rejected_total', { status: '404' })).toBeGreaterThan(0);
    expect(sample('query_rejected_total', { status: '422' })).toBeGreaterThan(0);
  });

  it('answers only read tokens: 401 without one, with an ingest key or a made-up token', async () => {
    const url = `${service.url}/v1/query?view=${EVENTS_BY_TYPE_SOURCE.name}`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await none.json()) as { error: string }).error).toMatch(/token create/);
    for (const presented of [
      token.replace('trr_', 'trb_'),
      `trr_${'a'.repeat(12)}_${'b'.repeat(43)}`,
    ]) {
      const refused = await fetch(url, { headers: { authorization: `Bearer ${presented}` } });
      expect(refused.status).toBe(401);
    }
    expect((await fetch(`${service.url}/quality`)).status).toBe(401);
  });

  it('limits each token: past its rate a query gets 429 with Retry-After', async () => {
    const limited = await startTestService(servingApi, {
      TRIBUTARY_DATA_DIR: dir.path,
      TRIBUTARY_POSTGRES_URL: database.url,
      TRIBUTARY_SERVING_RATE_LIMIT: '1',
    });
    try {
      const url = `${limited.url}/v1/views`;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(url, { headers: auth() })).status);
      expect(statuses.slice(0, 2)).toEqual([200, 200]); // a burst of twice the rate
      expect(statuses).toContain(429);
      const refused = await fetch(url, { headers: auth() });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.stop('test done');
    }
  });

  it('keeps hostile filter values harmless (they travel as parameters)', async () => {
    const view = EVENTS_BY_TYPE_SOURCE;
    for (const value of [
      "x' OR 1=1 --",
      "a\\'); DROP TABLE events_rt; --",
      '\u202eevil',
      '"quoted"',
    ]) {
      const response = await get(
        `view=${view.name}&grain=day&filter=${encodeURIComponent(`type:eq:${value}`)}`,
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as { rows: ViewRow[] }).rows).toEqual([]);
    }
    const after = (await (await get(`view=${view.name}&grain=day&limit=5000`)).json()) as {
      rows: ViewRow[];
    };
    expect(after.rows).toEqual(referenceRows(view, 'day', events));
  });
});
