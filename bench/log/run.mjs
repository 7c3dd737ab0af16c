#!/usr/bin/env node
// bench/log: the embedded log (libs/messaging EmbeddedLog, built), publish and consume, in this
// process, on a temp folder.
//
//   npm run build && node bench/log/run.mjs [--seconds 10] [--concurrency 16] [--batch 100]
//
// Each of --runs (3) runs measures, on a fresh folder:
//
// 1. Publish. --concurrency publishers each publish --batch records (StoredEvent JSON as the
//    ingest API writes it, its four headers, keyed by subject) and wait for the acknowledgement
//    (fsynced), then publish the next, for --seconds. Events/s and latency per publish; the log
//    groups concurrent publishes into one write and one fsync per partition file.
//    Baseline, same run, same folder's disk: the same bytes written by the same number of
//    concurrent writers to one plain file with one fdatasync per write (no framing, no index, no
//    partitioning): what the disk gives for an fsync-before-ack log without group commit.
// 2. Consume. A consumer group reads every published record into a sink that only counts
//    (exactly-once loop included: sink progress check, ranges, an atomic offset commit per range).
//    Baseline: reading the segment files' bytes (readFile) in the same run.
//
// Reports the median run (by publish events/s) and all three. --out FILE (default
// bench/results/log.json).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile } from '../lib/cpu.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const { EmbeddedLog } = require(join(root, 'libs', 'messaging', 'dist', 'index.js'));

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    batch: { type: 'string', default: '100' },
    partitions: { type: 'string', default: '6' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string', default: tmpdir() },
    out: { type: 'string', default: join(root, 'bench', 'results', 'log.json') },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const batchSize = Number(args.batch);
const partitions = Number(args.partitions);
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const HEADERS = {
  'content-type': 'application/json',
  'correlation-id': randomUUID(),
  schema: 'order.placed@1',
  traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().slice(0, 18).replace(/-/g, '')}-01`,
};

/** A StoredEvent as the ingest API writes it (order.placed, a few properties). */
function storedEvent(i) {
  const at = new Date().toISOString();
  return JSON.stringify({
    event_id: randomUUID(),
    type: 'order.placed',
    schema_version: null,
    occurred_at: at,
    subject_id: `user-${i % 5000}`,
    properties: { order_id: `o-${i}`, amount: (i % 997) / 4, currency: 'EUR', items: i % 7 },
    _ingested_at: at,
    _source: 'bench',
    _correlation_id: HEADERS['correlation-id'],
    _schema_version: 1,
  });
}

/** Pre-built batches, so the generator's share of the CPU stays small. */
const pool = Array.from({ length: 64 }, (_, b) =>
  Array.from({ length: batchSize }, (_, j) => {
    const i = b * batchSize + j;
    return { key: `user-${i % 5000}`, value: storedEvent(i), headers: HEADERS };
  }),
);
const poolBytes = pool.map((batch) =>
  Buffer.from(batch.map((m) => m.value + JSON.stringify(m.headers) + m.key).join('')),
);

async function publishPhase(log, topic) {
  const latencies = [];
  let events = 0;
  const until = Date.now() + seconds * 1000;
  const cpu0 = cpuSeconds();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      for (let n = c; Date.now() < until; n += concurrency) {
        const t0 = performance.now();
        await log.publish([{ topic, messages: pool[n % pool.length] }], { timeoutMs: 30_000 });
        latencies.push(performance.now() - t0);
        events += batchSize;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    events,
    events_per_s: Math.round(events / elapsed),
    publish_p50_ms: round(percentile(latencies, 50)),
    publish_p99_ms: round(percentile(latencies, 99)),
    cpu_us_per_event: round(((cpuSeconds() - cpu0) * 1e6) / events),
  };
}

/** Baseline: the same bytes by the same writers to one file, one fdatasync per write. */
async function rawFsyncPhase(folder) {
  const handle = await open(join(folder, 'raw.bin'), 'a');
  let events = 0;
  let position = 0;
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      for (let n = c; Date.now() < until; n += concurrency) {
        const bytes = poolBytes[n % poolBytes.length];
        const at = position;
        position += bytes.length;
        await handle.write(bytes, 0, bytes.length, at);
        await handle.datasync();
        events += batchSize;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await handle.close();
  return { events_per_s: Math.round(events / elapsed) };
}

async function consumePhase(log, topic, total) {
  let count = 0;
  let first;
  let last;
  const cpu0 = cpuSeconds();
  const sink = {
    storedUpTo: async () => undefined,
    write: async (_range, records) => {
      first ??= performance.now();
      count += records.length;
      last = performance.now();
    },
  };
  const started = performance.now();
  const running = await log.consume({ groupId: 'bench', topic, sink, maxWaitMs: 100 });
  while (count < total) await new Promise((r) => setTimeout(r, 20));
  await running.stop();
  const elapsed = (last - started) / 1000;
  return {
    events_per_s: Math.round(total / elapsed),
    cpu_us_per_event: round(((cpuSeconds() - cpu0) * 1e6) / total),
  };
}

/** Baseline: the segment files' bytes read from disk (page cache, as the consumer reads them). */
async function rawReadPhase(folder, total) {
  const started = performance.now();
  let bytes = 0;
  const topics = join(folder, 'topics');
  for (const topic of readdirSync(topics))
    for (const p of readdirSync(join(topics, topic)).filter((name) => /^\d+$/.test(name)))
      for (const segment of readdirSync(join(topics, topic, p)))
        bytes += (await readFile(join(topics, topic, p, segment))).length;
  const elapsed = (performance.now() - started) / 1000;
  return { events_per_s: Math.round(total / elapsed), bytes };
}

async function oneRun(run) {
  const folder = mkdtempSync(join(args.dir, 'bench-log-'));
  try {
    const log = await EmbeddedLog.open({
      folder: join(folder, 'log'),
      topicPartitions: partitions,
    });
    const topic = 'bench-events';
    const publish = await publishPhase(log, topic);
    const rawFsync = await rawFsyncPhase(folder);
    const consume = await consumePhase(log, topic, publish.events);
    await log.close();
    const rawRead = await rawReadPhase(join(folder, 'log'), publish.events);
    const result = {
      run,
      publish,
      raw_fsync_writes: rawFsync,
      ratio_publish_to_raw_fsync: round(publish.events_per_s / rawFsync.events_per_s, 2),
      consume,
      raw_read: rawRead,
      bytes_per_event: round(rawRead.bytes / publish.events),
    };
    console.error(`run ${run}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const runs = [];
for (let run = 1; run <= Number(args.runs); run++) runs.push(await oneRun(run));
const byPublish = [...runs].sort((a, b) => a.publish.events_per_s - b.publish.events_per_s);
const median = byPublish[Math.floor(byPublish.length / 2)];
const consumeSorted = runs.map((r) => r.consume.events_per_s).sort((a, b) => a - b);
const report = {
  benchmark: 'log',
  date: new Date().toISOString(),
  command: `node bench/log/run.mjs --seconds ${seconds} --concurrency ${concurrency} --batch ${batchSize} --partitions ${partitions} --runs ${args.runs}`,
  machine: { cpus: cpus().length, node: process.version, filesystem_of: args.dir },
  median_publish_run: median,
  median_consume_events_per_s: consumeSorted[Math.floor(consumeSorted.length / 2)],
  runs,
};
writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
