#!/usr/bin/env node
// bench/speed: the speed layer, Kafka → ClickHouse, as its own process (the built service).
//
//   npm run build && node bench/speed/run.mjs [--events 500000] [--rate 10000] [--seconds 20]
//
// Two phases on one topic of the local Kafka (scripts/services.sh up), written like the ingest
// API writes it (StoredEvent JSON, the four headers, gzip by default):
//
// 1. Throughput. --events records are produced first; then, in the same run, a raw kafkajs
//    consumer (the baseline: fetch and decode only) and the speed layer (decode, dedup check,
//    insert into events_rt and its materialized views, range log, commit) each read all of them
//    with their own consumer group. Events/s = records / (last commit − first commit) for the
//    speed layer, records / (last batch − first batch) for the raw consumer; start-up and the
//    group join are outside the window. Reports the ratio speed / raw and the service's CPU µs
//    per event (less disturbed by other load on the machine than events/s).
// 2. Freshness. The speed layer keeps consuming while this process produces --rate events/s for
//    --warmup + --seconds, each with _ingested_at = its send time. Every 20 ms it reads the
//    group's committed offsets; the sink commits a range only after ClickHouse acknowledged its
//    insert (the rows are then queryable in the views), so an event's freshness is the first
//    poll that sees it committed minus its _ingested_at — an upper bound by up to one poll.
//    p50/p99/max over the events sent after the warm-up.
//
// --warehouse embedded|http  embedded (default): chDB in a temp folder, in the service's process.
//                            http: a ClickHouse server at --clickhouse-url (the distributed
//                            profile); the bench creates a fresh database there and drops it after.
// --clickhouse-url URL       default http://127.0.0.1:8123 (with --warehouse http).
// --partitions N             partitions of the bench topic (default 6, the deployment default).
// --compression gzip|none    Kafka compression of the produced records (default gzip, as ingest).
// --only throughput|freshness
// --prefill N                embedded only: before the service starts, apply the real-time DDL
//                            and insert N synthetic events ingested over the last --prefill-hours
//                            (default 12, inside the 24 h dedup window) into events_rt, through
//                            its materialized views, spread over the partitions (type
//                            bench.prefill, offsets far above the topic's). A service that has
//                            run for a while: what grows with the table shows (e.g. 10M ≈ 17 min
//                            at 10,000 events/s); its parts are merged (OPTIMIZE … FINAL) before
//                            the service starts. Default 0: a fresh table.
// --env KEY=VALUE            extra environment for the service (repeatable), e.g.
//                            --env TRIBUTARY_SPEED_FETCH_BYTES=4MiB.
// --cpu-prof DIR             run the service under `node --cpu-prof` (summarise with
//                            bench/ingest/profile-top.mjs).
// --out FILE                 default bench/results/speed.json.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { busyCores, machineJiffies, processCpuSeconds } from '../lib/cpu.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const { Kafka, logLevel, CompressionTypes } = require('kafkajs');

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '500000' },
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    partitions: { type: 'string', default: '6' },
    compression: { type: 'string', default: 'gzip' },
    warehouse: { type: 'string', default: 'embedded' },
    'clickhouse-url': { type: 'string', default: 'http://127.0.0.1:8123' },
    only: { type: 'string' },
    prefill: { type: 'string', default: '0' },
    'prefill-hours': { type: 'string', default: '12' },
    port: { type: 'string', default: '3902' },
    env: { type: 'string', multiple: true, default: [] },
    'cpu-prof': { type: 'string' },
    out: { type: 'string', default: join(root, 'bench', 'results', 'speed.json') },
  },
});
const total = Number(args.events);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const partitions = Number(args.partitions);
const brokers = [`127.0.0.1:${process.env.TRIBUTARY_KAFKA_PORT || '59092'}`];
const runId = Date.now().toString(36);
const topic = `bench-speed-${runId}`;
const compression = { gzip: CompressionTypes.GZIP, none: CompressionTypes.None }[args.compression];
if (compression === undefined) throw new Error('--compression must be gzip or none');
if (!['embedded', 'http'].includes(args.warehouse))
  throw new Error('--warehouse must be embedded or http');
const prefillRows = Number(args.prefill);
if (prefillRows > 0 && args.warehouse !== 'embedded')
  throw new Error('--prefill needs --warehouse embedded');
const kafka = new Kafka({ brokers, clientId: 'bench-speed', logLevel: logLevel.ERROR });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, digits = 1) =>
  x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(digits));

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

const HEADERS = {
  'correlation-id': randomUUID(),
  'content-type': 'application/json',
  schema: 'order.placed@1',
  traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().slice(0, 18).replace(/-/g, '')}-01`,
};

/** A StoredEvent as the ingest API writes it (order.placed, a few properties). */
function storedEvent(i, ingestedAt) {
  return JSON.stringify({
    event_id: randomUUID(),
    type: 'order.placed',
    schema_version: null,
    occurred_at: new Date(Date.parse(ingestedAt) - (i % 60) * 1000).toISOString(),
    subject_id: `user-${i % 5000}`,
    properties: { order_id: `o-${i}`, amount: (i % 997) / 4, currency: 'EUR', items: i % 7 },
    _ingested_at: ingestedAt,
    _source: 'bench',
    _correlation_id: HEADERS['correlation-id'],
    _schema_version: 1,
  });
}

/** Produces `count` events, spread evenly over the partitions, in 5,000-record requests. */
async function preProduce(count) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const at = new Date().toISOString();
  for (let start = 0; start < count; start += 5000) {
    const n = Math.min(5000, count - start);
    await producer.send({
      topic,
      acks: -1,
      compression,
      messages: Array.from({ length: n }, (_, k) => ({
        partition: (start + k) % partitions,
        value: storedEvent(start + k, at),
        headers: HEADERS,
      })),
    });
  }
  await producer.disconnect();
}

/** Committed offsets of a group on the topic, by partition (-1 = none). */
async function committed(admin, groupId) {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(offsets.partitions.map((p) => [p.partition, Number(p.offset)]));
}
const sum = (offsets) => [...offsets.values()].reduce((a, b) => a + Math.max(0, b), 0);

/** The baseline: kafkajs fetching and decoding every record, nothing else. */
async function rawConsume(count) {
  const consumer = kafka.consumer({
    groupId: `bench-raw-${runId}`,
    maxBytesPerPartition: 1_048_576,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first;
  let last;
  const cpu0 = process.cpuUsage();
  await new Promise((done) => {
    consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        first ??= performance.now();
        seen += batch.messages.length;
        last = performance.now();
        if (seen >= count) done();
      },
    });
  });
  const cpu = process.cpuUsage(cpu0);
  await consumer.disconnect();
  const elapsed = (last - first) / 1000;
  const result = {
    events_per_s: Math.round(count / elapsed),
    elapsed_s: round(elapsed, 2),
    cpu_us_per_event: round((cpu.user + cpu.system) / count),
  };
  log(`raw kafkajs consume: ${JSON.stringify(result)}`);
  return result;
}

/**
 * Applies the real-time DDL the service would apply (the same migrations, so it then applies
 * none) and inserts --prefill synthetic events into events_rt in the service's chDB folder.
 */
async function prefill(dataDir) {
  const { applyWarehouseMigrations, createWarehouseClient } = require('@tributary/warehouse');
  const { DEFAULT_VIEWS, realtimeMigrations } = require('@tributary/views');
  const client = createWarehouseClient({ kind: 'embedded', path: join(dataDir, 'chdb') });
  try {
    const started = performance.now();
    await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));
    const spanMs = Math.round(Number(args['prefill-hours']) * 3_600_000);
    await client.command({
      query: `INSERT INTO events_rt (event_id, type, schema_version, occurred_at, subject_id, properties,
                _ingested_at, _source, _correlation_id, _schema_version, _kafka_partition, _kafka_offset)
              SELECT generateUUIDv4(number), 'bench.prefill', NULL, at, concat('user-', toString(number % 5000)),
                '{}', at, 'bench', '', 1, number % ${partitions}, 1000000000000 + number
              FROM (SELECT number, now64(3) - toIntervalMillisecond(intDiv(number * ${spanMs}, ${prefillRows})) AS at
                    FROM numbers(${prefillRows}))`,
    });
    // Settle the merges the bulk insert set off (as a table that has been running has them done),
    // so they do not run inside the measured phases.
    const tables = await client.query({
      query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'`,
      format: 'JSONEachRow',
    });
    for (const { name } of await tables.json())
      await client.command({ query: `OPTIMIZE TABLE ${name} FINAL` });
    log(`prefilled ${prefillRows} events in ${round((performance.now() - started) / 1000)} s`);
  } finally {
    await client.close();
  }
}

function startService(dataDir, database) {
  const profile = args['cpu-prof']
    ? ['--cpu-prof', '--cpu-prof-dir', resolve(args['cpu-prof'])]
    : [];
  const warehouse =
    args.warehouse === 'http'
      ? {
          TRIBUTARY_PROFILE: 'distributed',
          TRIBUTARY_CLICKHOUSE_URL: `${args['clickhouse-url'].replace(/\/$/, '')}/${database}`, // the path names the database
          // The distributed profile requires these, though the speed layer does not use them.
          TRIBUTARY_POSTGRES_URL: 'postgres://unused@127.0.0.1:1/unused',
          TRIBUTARY_REDIS_URL: 'redis://127.0.0.1:1',
        }
      : { TRIBUTARY_PROFILE: 'embedded', TRIBUTARY_DATA_DIR: dataDir };
  const child = spawn(
    process.execPath,
    [...profile, join(root, 'apps', 'speed-layer', 'dist', 'main.js')],
    {
      env: {
        PATH: process.env.PATH,
        ...warehouse,
        TRIBUTARY_KAFKA_BROKERS: brokers.join(','),
        TRIBUTARY_EVENTS_TOPIC: topic,
        TRIBUTARY_DLQ_TOPIC: `${topic}-dlq`,
        TRIBUTARY_SPEED_CONSUMER_GROUP: `bench-speed-${runId}`,
        TRIBUTARY_SPEED_LAYER_PORT: args.port,
        TRIBUTARY_HOST: '127.0.0.1',
        TRIBUTARY_LOG_LEVEL: 'warn',
        ...Object.fromEntries(args.env.map((pair) => pair.split(/=(.*)/s, 2))),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise((r) => child.once('exit', r));
  return {
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The speed layer reads the pre-produced records; measured from its first to its last commit. */
async function speedThroughput(admin, service, count) {
  const group = `bench-speed-${runId}`;
  let first;
  let cpu0;
  let machine0;
  let atFirst = 0;
  for (;;) {
    const done = sum(await committed(admin, group));
    const now = performance.now();
    if (first === undefined && done > 0) {
      first = now;
      atFirst = done;
      cpu0 = processCpuSeconds(service.child.pid);
      machine0 = machineJiffies();
    }
    if (done >= count) {
      const elapsed = (now - first) / 1000;
      const cpu = processCpuSeconds(service.child.pid) - cpu0;
      const result = {
        events_per_s: Math.round((count - atFirst) / elapsed),
        elapsed_s: round(elapsed, 2),
        service_cpu_s: round(cpu, 2),
        service_us_per_event: round((cpu * 1e6) / (count - atFirst)),
        machine_busy_cores: round(busyCores(machine0, machineJiffies()), 2),
      };
      log(`speed layer: ${JSON.stringify(result)}`);
      return result;
    }
    if (service.child.exitCode !== null) throw new Error('the speed layer exited');
    await sleep(50);
  }
}

/** Inserts and rows the service reports so far (its /metrics). */
async function insertStats() {
  const text = await (await fetch(`http://127.0.0.1:${args.port}/metrics`)).text();
  const value = (pattern) => [...text.matchAll(pattern)].reduce((a, m) => a + Number(m[1]), 0);
  const inserts = value(/^tributary_insert_latency_seconds_count\{[^}]*\} (\S+)$/gm);
  const rows = value(/^tributary_rows_written_total\{[^}]*\} (\S+)$/gm);
  return { inserts, rows_per_insert: inserts === 0 ? null : round(rows / inserts) };
}

/** Steady --rate events/s while polling commits: per-event freshness. */
async function freshness(admin, service) {
  const group = `bench-speed-${runId}`;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const startOffsets = new Map(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
  );
  // Wait until the service has caught up with everything before (its group is at the end).
  for (;;) {
    const offsets = await committed(admin, group);
    if ([...startOffsets].every(([p, high]) => Math.max(0, offsets.get(p) ?? 0) >= high)) break;
    if (service.child.exitCode !== null) throw new Error('the speed layer exited');
    await sleep(100);
  }
  /** Per partition: batches sent, oldest first: { last offset, ingested ms, count, measured }. */
  const pending = new Map([...startOffsets.keys()].map((p) => [p, []]));
  const samples = [];
  const tickMs = 10;
  const perTick = rate / (1000 / tickMs);
  const startAt = performance.now();
  const measureFrom = Date.now() + warmup * 1000;
  const endAt = startAt + (warmup + seconds) * 1000;
  let sent = 0;
  let sentMeasured = 0;
  let sending = true;
  let i = 0;
  const machine0 = machineJiffies();
  const cpu0 = processCpuSeconds(service.child.pid);

  const poller = (async () => {
    while (sending || [...pending.values()].some((q) => q.length > 0)) {
      const offsets = await committed(admin, group);
      const now = Date.now();
      for (const [partition, queue] of pending) {
        const upTo = offsets.get(partition) ?? -1;
        while (queue.length > 0 && queue[0].last < upTo) {
          const batch = queue.shift();
          if (batch.measured) samples.push([now - batch.ingested, batch.count]);
        }
      }
      await sleep(20);
    }
  })();

  // One send per tick with the tick's events; sends do not wait for each other's acks.
  const inflight = new Set();
  while (performance.now() < endAt) {
    const due = Math.floor(((performance.now() - startAt) / tickMs) * perTick) - sent;
    if (due > 0) {
      const ingested = Date.now();
      const at = new Date(ingested).toISOString();
      const messages = Array.from({ length: due }, (_, k) => ({
        partition: (i + k) % partitions,
        value: storedEvent(i + k, at),
        headers: HEADERS,
      }));
      i += due;
      sent += due;
      const measured = ingested >= measureFrom;
      if (measured) sentMeasured += due;
      const send = producer.send({ topic, acks: -1, compression, messages }).then((meta) => {
        for (const { partition, baseOffset } of meta) {
          const count = messages.filter((m) => m.partition === partition).length;
          pending.get(partition).push({
            last: Number(baseOffset) + count - 1,
            ingested,
            count,
            measured,
          });
        }
      });
      inflight.add(send);
      void send.finally(() => inflight.delete(send));
    }
    await sleep(tickMs);
  }
  await Promise.all(inflight);
  // Acks can arrive out of order across partitions' queues only within a partition's order,
  // which the idempotent producer keeps; sort each queue by offset to be safe.
  for (const queue of pending.values()) queue.sort((a, b) => a.last - b.last);
  sending = false;
  await poller;
  await producer.disconnect();
  const cpu = processCpuSeconds(service.child.pid) - cpu0;

  const expanded = samples.sort((a, b) => a[0] - b[0]);
  const n = expanded.reduce((a, [, c]) => a + c, 0);
  const weighted = (p) => {
    let seen = 0;
    for (const [ms, count] of expanded) {
      seen += count;
      if (seen >= (p / 100) * n) return ms;
    }
    return NaN;
  };
  const inserts = await insertStats();
  const result = {
    target_events_per_s: rate,
    sent_events_per_s: Math.round(sentMeasured / seconds),
    measured_events: n,
    p50_ms: weighted(50),
    p99_ms: weighted(99),
    max_ms: expanded.at(-1)?.[0] ?? null,
    service_cpu_cores: round(cpu / (warmup + seconds), 2),
    machine_busy_cores: round(busyCores(machine0, machineJiffies()), 2),
    ...inserts,
  };
  log(`freshness: ${JSON.stringify(result)}`);
  return result;
}

async function main() {
  if (
    spawnSync('bash', [join(root, 'scripts', 'services.sh'), 'up'], { stdio: 'inherit' }).status !==
    0
  ) {
    throw new Error('scripts/services.sh up failed');
  }
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: partitions },
      { topic: `${topic}-dlq`, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-speed-'));
  const database = `bench_speed_${runId}`;
  const clickhouse = (query) =>
    fetch(args['clickhouse-url'], { method: 'POST', body: query }).then(async (r) => {
      if (!r.ok) throw new Error(`ClickHouse: ${await r.text()}`);
    });
  if (args.warehouse === 'http') await clickhouse(`CREATE DATABASE ${database}`);
  let service;
  try {
    if (prefillRows > 0) await prefill(dataDir);
    let throughput = null;
    let raw = null;
    if (args.only !== 'freshness') {
      log(`producing ${total} events into ${partitions} partitions (${args.compression})`);
      await preProduce(total);
      raw = await rawConsume(total);
      service = startService(dataDir, database);
      throughput = await speedThroughput(admin, service, total);
    } else {
      service = startService(dataDir, database);
    }
    const fresh = args.only === 'throughput' ? null : await freshness(admin, service);

    const results = {
      benchmark: 'speed',
      date: new Date().toISOString(),
      command: `node bench/speed/run.mjs --events ${total} --rate ${rate} --seconds ${seconds} --partitions ${partitions} --compression ${args.compression} --warehouse ${args.warehouse}${prefillRows > 0 ? ` --prefill ${prefillRows} --prefill-hours ${args['prefill-hours']}` : ''}${args.env.map((e) => ` --env ${e}`).join('')}`,
      machine: { cpus: cpus().length, node: process.version },
      throughput: { speed_layer: throughput, raw_kafkajs_consume: raw },
      ratio_speed_to_raw:
        throughput && raw ? round(throughput.events_per_s / raw.events_per_s, 3) : null,
      freshness: fresh,
    };
    writeFileSync(resolve(args.out), `${JSON.stringify(results, null, 2)}\n`);
    if (throughput && raw) {
      console.log(
        `\nspeed layer ${throughput.events_per_s} events/s (${throughput.service_us_per_event} µs CPU/event), raw kafkajs consume ${raw.events_per_s} events/s, ratio ${results.ratio_speed_to_raw}`,
      );
    }
    if (fresh) {
      console.log(
        `freshness at ${fresh.sent_events_per_s} events/s: p50 ${fresh.p50_ms} ms, p99 ${fresh.p99_ms} ms, max ${fresh.max_ms} ms`,
      );
    }
  } finally {
    await service?.stop();
    await admin.deleteTopics({ topics: [topic, `${topic}-dlq`] }).catch(() => undefined);
    await admin.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
    if (args.warehouse === 'http')
      await clickhouse(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
