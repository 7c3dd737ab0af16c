// Serving benchmark: `npm run build && node bench/serving/run.mjs [--events 10000000]`.
//
// Prepares a chDB folder with the real-time tables fed by --events synthetic events over 30 days
// (events_rt → materialized views) and a published batch copy of events_by_type_source at a cut
// one hour ago, then runs the built serving-api as its own process on it and measures, in one
// run, a 30-day hourly query with 2 dimensions (type, source):
//   - cache off: the live answer (batch copy ∪ real-time side, computed by ClickHouse each time);
//   - cache on:  the same query `as_of` the published run (served from the in-process cache).
// --concurrency clients (8) for --seconds (10) each; p50/p99 latency and queries/s.
// Needs the local Postgres (`npm run services -- up`); TRIBUTARY_POSTGRES_URL overrides it.
// --cpu-prof DIR writes a V8 profile of the service (summarise it with
// bench/ingest/profile-top.mjs).
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BatchStore, coarserGrains, runCopyTable } from '@tributary/lake';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import {
  alignCut,
  cutParams,
  DEFAULT_VIEWS,
  EVENTS_BY_TYPE_SOURCE,
  realtimeMigrations,
  rollupTable,
  servingCopyDdl,
  servingCopyLoadSql,
  servingRollupSql,
} from '@tributary/views';
import { freePort } from '@tributary/testing';
import { applyWarehouseMigrations, createWarehouseClient } from '@tributary/warehouse';
import { benchDatabase } from '../lib/postgres.mjs';

const { values: o } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    concurrency: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    out: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const events = Number(o.events);
const concurrency = Number(o.concurrency);
const seconds = Number(o.seconds);
const view = EVENTS_BY_TYPE_SOURCE;

const stamp = Date.now().toString(36);
const work = join(process.cwd(), '.cache', `bench-serving-${stamp}`);
mkdirSync(join(work, 'data'), { recursive: true });
const database = await benchDatabase('bench_serving');
let service;

try {
  // 1. Data: events_rt (the views fill themselves), then a published batch copy.
  const client = createWarehouseClient({ kind: 'embedded', path: join(work, 'data', 'chdb') });
  await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));
  const fillStart = performance.now();
  const chunk = 1_000_000;
  for (let first = 0; first < events; first += chunk) {
    const n = Math.min(chunk, events - first);
    await client.command({
      query: `INSERT INTO events_rt
        SELECT toUUID(concat('00000000-0000-4000-8000-', lower(leftPad(hex(id), 12, '0')))),
               ['page.viewed', 'order.placed', 'app.opened', 'user.signed_up'][id % 4 + 1], 1,
               toDateTime64(now() - toIntervalSecond(id % (30 * 86400)), 3, 'UTC') AS oa,
               concat('user-', toString(id % 5000)), '{}', oa + toIntervalSecond(5),
               ['web', 'ios', 'backend'][id % 3 + 1], '', 1, 0, id
        FROM (SELECT number + ${first} AS id FROM numbers(${n}))`,
    });
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const cut = new Date(alignCut(new Date()).getTime() - 3_600_000);
  const runId = `bench-${stamp}`;
  const copy = runCopyTable(view, runId);
  await client.command({ query: servingCopyDdl(view, copy) });
  await client.command({
    query: servingCopyLoadSql(view, { relation: 'events_rt', into: copy, cut: true }),
    query_params: cutParams(cut),
  });
  for (const grain of coarserGrains(view)) {
    await client.command({ query: servingCopyDdl(view, rollupTable(copy, grain)) });
    await client.command({
      query: servingRollupSql(view, grain, { from: copy, into: rollupTable(copy, grain) }),
    });
  }
  await client.close();
  const db = createMetadataDataSource({ url: database.url });
  await db.initialize();
  await migrateMetadata(db);
  const store = new BatchStore(db);
  await store.start({ runId, view: view.name, mode: 'full', cut, previousCut: null });
  await store.publish(runId, view.name, cut);
  await db.destroy();
  console.log(
    `${events} events in ${fillSeconds.toFixed(1)} s; copy ${copy} at cut ${cut.toISOString()}`,
  );

  // 2. The built service as its own process.
  const port = await freePort();
  const profile = o['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${o['cpu-prof']}`] : [];
  service = spawn(process.execPath, [...profile, 'apps/serving-api/dist/main.js'], {
    env: {
      ...process.env,
      TRIBUTARY_PROFILE: 'embedded',
      TRIBUTARY_DATA_DIR: join(work, 'data'),
      TRIBUTARY_POSTGRES_URL: database.url,
      TRIBUTARY_SERVING_AUTH: 'none',
      TRIBUTARY_SERVING_API_PORT: String(port),
      TRIBUTARY_HOST: '127.0.0.1',
      TRIBUTARY_LOG_LEVEL: 'warn',
      OTEL_SDK_DISABLED: 'true',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 300) throw new Error('serving-api did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const to = new Date(alignCut(new Date()).getTime() + 3_600_000);
  const from = new Date(to.getTime() - 30 * 86_400_000);
  const query = `view=${view.name}&grain=hour&dimensions=type,source&from=${from.toISOString()}&to=${to.toISOString()}&limit=100000`;

  // 3. Measure.
  const measure = async (label, path) => {
    const first = await (await fetch(`${base}${path}`)).json();
    const rows = first.rows.length;
    const latencies = [];
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const start = performance.now();
          const response = await fetch(`${base}${path}`);
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${label}: HTTP ${response.status}`);
          latencies.push(performance.now() - start);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const pick = (q) => Number(latencies[Math.floor(q * (latencies.length - 1))].toFixed(1));
    const result = {
      rows,
      queries: latencies.length,
      qps: Math.round(latencies.length / seconds),
      p50_ms: pick(0.5),
      p99_ms: pick(0.99),
    };
    console.log(label, JSON.stringify(result));
    return result;
  };
  const off = await measure('cache off (live)', `/v1/query?${query}`);
  const on = await measure('cache on (as_of)', `/v1/query?${query}&as_of=${runId}`);
  const results = {
    benchmark: 'serving',
    at: new Date().toISOString(),
    machine: 'shared 2-core machine; other work may run beside it (see notes)',
    events,
    view: view.name,
    query: '30 days, hourly, dimensions type and source',
    concurrency,
    seconds,
    cache_off: off,
    cache_on: on,
    targets: { p99_ms_cache_off: 50, qps_cache_off: 500 },
  };
  console.log(JSON.stringify(results, null, 2));
  if (o.out) writeFileSync(o.out, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  if (service && service.exitCode === null) {
    // Wait for the exit (a --cpu-prof profile is written then), at most 10 s.
    const exited = new Promise((r) => service.once('exit', r));
    service.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  await database.drop();
  rmSync(work, { recursive: true, force: true });
}
