#!/usr/bin/env node
// bench/speed/insert-floor: what the embedded engine alone costs per event on the speed layer's
// write path — no Kafka, no decoding, no dedup check, no range log.
//
//   npm run build && node bench/speed/insert-floor.mjs [--rows 1000000] [--batch 10000]
//
// Applies the real-time DDL of the default views to a fresh chDB folder, serialises --rows demo
// events (libs/views demoEvents, as the sink writes them: events_rt rows as JSONEachRow) before
// the clock starts, then inserts them in --batch-row inserts, one deduplication token each, as
// the sink does. Twice, on fresh tables: into events_rt with its materialized views (the five
// default views and the id table: what the speed layer writes), and into a plain table with
// events_rt's columns and no views (the floor of the insert itself). Reports rows/s and CPU µs
// per row of this process, which includes every chDB thread (merges in the background too).
// Sequential inserts; the speed layer runs up to TRIBUTARY_SPEED_PARTITIONS_IN_PARALLEL at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const { applyWarehouseMigrations, createWarehouseClient } = require('@tributary/warehouse');
const {
  DEFAULT_VIEWS,
  demoEvents,
  EVENTS_RT_COLUMNS,
  realtimeMigrations,
  toEventsRtRow,
} = require('@tributary/views');

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
  },
});
const rows = Number(args.rows);
const batch = Number(args.batch);

// Serialised once, outside the clock: the floor is the engine's, not the client's.
const events = demoEvents({
  count: rows,
  ingestedFrom: new Date(Date.now() - 3_600_000),
  ingestedSpanMs: 3_600_000,
  lateFraction: 0.05,
});
const bodies = [];
for (let first = 0; first < rows; first += batch) {
  const lines = events
    .slice(first, first + batch)
    .map((event, i) =>
      JSON.stringify(toEventsRtRow(event, { partition: i % 6, offset: BigInt(first + i) })),
    );
  bodies.push(`${lines.join('\n')}\n`);
}

async function measure(label, setup, table) {
  const dir = mkdtempSync(join(tmpdir(), 'insert-floor-'));
  const client = createWarehouseClient({ kind: 'embedded', path: dir });
  try {
    await setup(client);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const [i, body] of bodies.entries()) {
      // What the chDB connection makes of client.insert: the statement with the body inline.
      await client.command({
        query: `INSERT INTO ${table} FORMAT JSONEachRow\n${body}`,
        clickhouse_settings: { insert_deduplication_token: `floor:${i}` },
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuUs = (used.user + used.system) / rows;
    const result = { rows_per_s: Math.round(rows / seconds), cpu_us_per_row: +cpuUs.toFixed(1) };
    console.log(`${label}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const withViews = await measure(
  'events_rt + 5 views + id table',
  (client) => applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS)),
  'events_rt',
);
const plain = await measure(
  'plain table, no views',
  (client) =>
    client.command({
      query: `CREATE TABLE plain (${EVENTS_RT_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})
              ENGINE = MergeTree ORDER BY (type, occurred_at, event_id)
              SETTINGS non_replicated_deduplication_window = 1000`,
    }),
  'plain',
);
console.log(
  JSON.stringify({
    rows,
    batch,
    with_views: withViews,
    plain,
    cpu_ratio: +(withViews.cpu_us_per_row / plain.cpu_us_per_row).toFixed(2),
  }),
);
