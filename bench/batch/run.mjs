// Batch recompute benchmark: `npm run build && node bench/batch/run.mjs [--events 10000000]`.
//
// Fills a fresh Iceberg master dataset (chDB, IcebergLocal under .cache/) with --events synthetic
// events over 30 days (--copies of them repeated, as client retries are), then measures:
//   1. once, a full run that first restages: the whole master dataset deduplicated by event_id
//      into the staged distinct events (what every full run did before they were kept);
//   2. --repeat times each, alternating:
//      - subject: a full BatchRunner run of --view from the staged distinct events (serving copy,
//        Iceberg view snapshot for every grain, built-in audits, publish in Postgres);
//      - baseline: the engine's own rate — the view's batch SQL at its finest grain as a plain
//        ClickHouse GROUP BY over the master dataset's Parquet data files (`file(…/*.parquet)`);
//   3. --increment more rows ingested after the cut (5 % of them late copies of older events),
//      then one incremental run: it stages only them and recomputes the event days they touch.
// Reports input events/s of each (median), the ratio subject / baseline and the runs' steps.
// Needs the local Postgres (`npm run services -- up`); TRIBUTARY_POSTGRES_URL overrides it.
// Options: --events, --copies (0.05), --view (events_by_type_source), --repeat (3), --out FILE,
// --ids random|sequential: event ids as clients make them (random UUIDs, the default) or counting
// up in the last 12 hex digits (the first bench version's ids; they sort far faster),
// --increment (1000000).
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
    increment: { type: 'string', default: '1000000' },
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

/** Where the synthetic data sits in time: two hours back, on a minute (a cut must be). */
const at0 = Math.floor(Date.now() / 60_000) * 60 - 2 * 3600;
/** The cut of the full runs (every base row is ingested before it) and of the incremental one. */
const firstCut = new Date(at0 * 1000);
const secondCut = new Date((at0 + 3600) * 1000);

/**
 * Appends rows [from, to) of the synthetic stream in 1M-row Iceberg commits (as the lake writer
 * makes them). Base rows (n < base): events over 30 days before the first cut, ingested 5 s after
 * they occur; rows past `events` repeat earlier ids (a retry 3 s later). Rows of the increment
 * (n ≥ base) are ingested between the two cuts: new events of that hour, except every 20th (5 %),
 * which repeats an older event (a late copy, touching an old day).
 */
async function fillLake(from, to, base) {
  const chunk = 1_000_000;
  for (let first = from; first < to; first += chunk) {
    const n = Math.min(chunk, to - first);
    await client.command({
      query: `INSERT INTO ${MASTER_TABLE_CH}
      SELECT
        ${idSql} AS event_id,
        ['page.viewed', 'order.placed', 'app.opened', 'user.signed_up'][id % 4 + 1] AS type,
        1 AS schema_version,
        if(id < ${events}, toDateTime64(${at0} - 3600 - id % (30 * 86400), 6, 'UTC'),
           in_increment_at - toIntervalSecond(5)) AS occurred_at,
        concat('user-', toString(id % 5000)) AS subject_id,
        concat('{"page":{"path":"/p', toString(id % 50), '"},"amount":', toString((id % 997) / 4),
               ',"currency":"', ['EUR', 'USD', 'GBP'][id % 3 + 1], '","item_count":', toString(id % 7),
               ',"plan":"', ['free', 'pro'][id % 2 + 1], '","trial":', if(id % 3 = 0, 'true', 'false'), '}') AS properties,
        if(n < ${base}, occurred_at + toIntervalSecond(5 + (n >= ${events}) * 3),
           in_increment_at) AS _ingested_at,
        ['web', 'ios', 'backend'][id % 3 + 1] AS _source,
        toString(id) AS _correlation_id,
        1 AS _schema_version,
        toInt32(id % 6) AS _kafka_partition,
        toInt64(n) AS _kafka_offset
      FROM (SELECT number + ${first} AS n,
                   multiIf(n < ${events}, n,
                           n < ${base}, (n - ${events}) * 19 % ${events},
                           (n - ${base}) % 20 = 19, (n - ${base}) * 7 % ${events},
                           n - ${base} + ${events}) AS id,
                   toDateTime64(${at0} + 1 + (n - ${base}) % 3000, 6, 'UTC') AS in_increment_at
            FROM numbers(${n}))`,
      clickhouse_settings: { allow_insert_into_iceberg: 1 },
    });
  }
}

try {
  // 1. The master dataset: chunks of 1M rows, one Iceberg commit each (as the lake writer makes).
  await client.command({
    query: masterDatasetDdl({ kind: 'local', root: lakeRoot }),
    clickhouse_settings: { allow_insert_into_iceberg: 1 },
  });
  const copies = Math.round(events * Number(o.copies));
  const total = events + copies;
  const fillStart = performance.now();
  await fillLake(0, total, total);
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
    completeThrough: async () => new Date(), // the bench wrote the lake: complete through now
  });
  /** A full run of the view at `cut`; its duration and steps. */
  async function timedRun(request) {
    const start = performance.now();
    const steps = [];
    const outcome = await new BatchRunner({
      ...runner['options'],
      onStep: (_run, step) => steps.push([Math.round(ms(start)), step]),
    }).run({ view, ...request });
    if (!outcome.published) throw new Error(`run blocked: ${JSON.stringify(outcome.run.checks)}`);
    return { ms: ms(start), run: outcome.run, steps };
  }

  // 2. Staging from scratch: the whole master dataset deduplicated into the distinct events, then
  // the run — what every full run cost before the staged events were kept.
  const restaged = await timedRun({ mode: 'full', cut: firstCut, restage: true });
  console.log(`full run with restage: ${(restaged.ms / 1000).toFixed(2)} s`);

  // 3. Full runs from the staged events, alternating with the baseline.
  const subject = [];
  const baseline = [];
  let lastRun;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    const result = await client.query({ query: baselineSql, format: 'JSONEachRow' });
    const rows = (await result.json()).length;
    baseline.push(ms(start));
    const run = await timedRun({ mode: 'full', cut: firstCut });
    subject.push(run.ms);
    lastRun = {
      runId: run.run.runId,
      steps: run.steps,
      outputRows: run.run.outputRows,
      groups: rows,
    };
    console.log(
      `#${i + 1}: baseline ${(baseline[i] / 1000).toFixed(2)} s, batch run ${(subject[i] / 1000).toFixed(2)} s`,
    );
  }

  // 4. An increment: --increment more rows ingested in the hour after the first cut, then an
  // incremental run at the second cut (it stages only those rows, then recomputes their days).
  const increment = Number(o.increment);
  await fillLake(total, total + increment, total);
  const incremental = await timedRun({ mode: 'incremental', cut: secondCut });
  console.log(`incremental run (+${increment} rows): ${(incremental.ms / 1000).toFixed(2)} s`);

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
    full_run_with_restage: {
      s: restaged.ms / 1000,
      rows_per_s: rate([restaged.ms]),
      ratio_over_baseline: Number((median(baseline) / restaged.ms).toFixed(3)),
      steps: restaged.steps,
    },
    incremental_run: {
      rows_added: increment,
      s: incremental.ms / 1000,
      touched_days: incremental.run.touchedDays.length,
      steps: incremental.steps,
    },
  };
  console.log(JSON.stringify(results, null, 2));
  if (o.out) writeFileSync(o.out, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await client.close();
  await db.destroy();
  await database.drop();
  rmSync(work, { recursive: true, force: true });
}
