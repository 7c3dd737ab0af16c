// Batch recompute benchmark: `npm run build && node bench/batch/run.mjs [--events 10000000]`.
//
// Fills a fresh Iceberg master dataset (chDB, IcebergLocal under .cache/) with --events synthetic
// events over 30 days (--copies of them repeated, as client retries are), then measures in one run,
// --repeat times each, alternating:
//   - subject: a full BatchRunner run of --view (stage with dedup from a pinned snapshot, serving
//     copy, Iceberg view snapshot for every grain, built-in audits, publish in Postgres);
//   - baseline: the engine's own rate — the view's batch SQL at its finest grain as a plain
//     ClickHouse GROUP BY over the same Parquet data files (`file(…/data/*.parquet)`).
// Reports input events/s of each (median), the ratio subject / baseline and the run's steps.
// Needs the local Postgres (`npm run services -- up`); TRIBUTARY_POSTGRES_URL overrides it.
// Options: --events, --copies (0.05), --view (events_by_type_source), --repeat (3), --out FILE,
// --ids random|sequential: event ids as clients make them (random UUIDs, the default) or counting
// up in the last 12 hex digits (the first bench version's ids; they sort far faster).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { BatchRunner, BatchStore, masterDatasetDdl, MASTER_TABLE_CH } from '@tributary/lake';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { batchSql, DEFAULT_VIEWS, finestGrain } from '@tributary/views';
import { createWarehouseClient } from '@tributary/warehouse';
import { benchDatabase } from '../lib/postgres.mjs';

const { values: o } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    copies: { type: 'string', default: '0.05' },
    view: { type: 'string', default: 'events_by_type_source' },
    repeat: { type: 'string', default: '3' },
    out: { type: 'string' },
    ids: { type: 'string', default: 'random' },
  },
});
if (o.ids !== 'random' && o.ids !== 'sequential') throw new Error('--ids is random or sequential');
const idSql =
  o.ids === 'random'
    ? 'toString(reinterpretAsUUID(sipHash128(toUInt64(id))))'
    : "concat('00000000-0000-4000-8000-', lower(leftPad(hex(id), 12, '0')))";
const events = Number(o.events);
const repeat = Number(o.repeat);
const view = DEFAULT_VIEWS.find((v) => v.name === o.view);
if (!view) throw new Error(`unknown view ${o.view}`);

const stamp = Date.now().toString(36);
const root = process.cwd();
const work = join(root, '.cache', `bench-batch-${stamp}`);
mkdirSync(work, { recursive: true });
const lakeRoot = relative(root, join(work, 'lake'));
const database = await benchDatabase('bench_batch');
const db = createMetadataDataSource({ url: database.url });
await db.initialize();
await migrateMetadata(db);
const client = createWarehouseClient({ kind: 'embedded', path: join(work, 'chdb') });
const ms = (start) => performance.now() - start;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  // 1. The master dataset: chunks of 1M rows, one Iceberg commit each (as the lake writer makes).
  await client.command({
    query: masterDatasetDdl({ kind: 'local', root: lakeRoot }),
    clickhouse_settings: { allow_insert_into_iceberg: 1 },
  });
  const copies = Math.round(events * Number(o.copies));
  const total = events + copies;
  const fillStart = performance.now();
  const chunk = 1_000_000;
  for (let first = 0; first < total; first += chunk) {
    const n = Math.min(chunk, total - first);
    // Rows past `events` repeat earlier event ids (a retry a little later).
    await client.command({
      query: `INSERT INTO ${MASTER_TABLE_CH}
        SELECT
          ${idSql} AS event_id,
          ['page.viewed', 'order.placed', 'app.opened', 'user.signed_up'][id % 4 + 1] AS type,
          1 AS schema_version,
          toDateTime64(now() - toIntervalSecond(id % (30 * 86400)), 6, 'UTC') AS occurred_at,
          concat('user-', toString(id % 5000)) AS subject_id,
          concat('{"page":{"path":"/p', toString(id % 50), '"},"amount":', toString((id % 997) / 4),
                 ',"currency":"', ['EUR', 'USD', 'GBP'][id % 3 + 1], '","item_count":', toString(id % 7),
                 ',"plan":"', ['free', 'pro'][id % 2 + 1], '","trial":', if(id % 3 = 0, 'true', 'false'), '}') AS properties,
          occurred_at + toIntervalSecond(5 + (n >= ${events}) * 3) AS _ingested_at,
          ['web', 'ios', 'backend'][id % 3 + 1] AS _source,
          toString(id) AS _correlation_id,
          1 AS _schema_version,
          toInt32(id % 6) AS _kafka_partition,
          toInt64(n) AS _kafka_offset
        FROM (SELECT number + ${first} AS n, if(n < ${events}, n, (n - ${events}) * 19 % ${events}) AS id
              FROM numbers(${n}))`,
      clickhouse_settings: { allow_insert_into_iceberg: 1 },
    });
  }
  const fillMs = ms(fillStart);
  console.log(`lake filled: ${total} rows (${copies} copies) in ${(fillMs / 1000).toFixed(1)} s`);

  const files = `${join(root, lakeRoot, 'events', 'data')}/*.parquet`;
  const baselineSql = batchSql(view, finestGrain(view), { relation: 'lake_parquet' }).replace(
    'FROM lake_parquet AS e',
    `FROM file('${files}', Parquet) AS e`,
  );
  const store = new BatchStore(db);
  const runner = new BatchRunner({
    client,
    store,
    location: { kind: 'local', root: lakeRoot },
    completeThrough: async () => new Date(),
  });
  const subject = [];
  const baseline = [];
  let lastRun;
  for (let i = 0; i < repeat; i++) {
    let start = performance.now();
    const result = await client.query({ query: baselineSql, format: 'JSONEachRow' });
    const rows = (await result.json()).length;
    baseline.push(ms(start));
    start = performance.now();
    const steps = [];
    const outcome = await new BatchRunner({
      ...runner['options'],
      onStep: (_run, step) => steps.push([Math.round(ms(start)), step]),
    }).run({ view, mode: 'full' });
    subject.push(ms(start));
    if (!outcome.published) throw new Error(`run blocked: ${JSON.stringify(outcome.run.checks)}`);
    lastRun = { runId: outcome.run.runId, steps, outputRows: outcome.run.outputRows, groups: rows };
    console.log(
      `#${i + 1}: baseline ${(baseline[i] / 1000).toFixed(2)} s, batch run ${(subject[i] / 1000).toFixed(2)} s`,
    );
  }
  const rate = (msList) => Math.round(total / (median(msList) / 1000));
  const results = {
    benchmark: 'batch',
    at: new Date().toISOString(),
    machine: 'shared 2-core machine; other work may run beside it (see notes)',
    view: view.name,
    events,
    ids: o.ids,
    copies,
    rows_scanned: total,
    repeat,
    lake_fill_rows_per_s: Math.round(total / (fillMs / 1000)),
    baseline_group_by_parquet: { median_s: median(baseline) / 1000, rows_per_s: rate(baseline) },
    batch_run_full: { median_s: median(subject) / 1000, rows_per_s: rate(subject) },
    ratio_batch_over_baseline: Number((median(baseline) / median(subject)).toFixed(3)),
    target_ratio: 0.5,
    last_run: lastRun,
  };
  console.log(JSON.stringify(results, null, 2));
  if (o.out) writeFileSync(o.out, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await client.close();
  await db.destroy();
  await database.drop();
  rmSync(work, { recursive: true, force: true });
}
