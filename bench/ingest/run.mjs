#!/usr/bin/env node
// bench/ingest: events/s and latency through POST /v1/events, beside a raw kafkajs producer
// sending the same events to the same local Kafka in the same run (the baseline).
//
//   npm run build && node bench/ingest/run.mjs [--seconds 20] [--concurrency 16] [--batch 100]
//
// Needs the local services (it runs scripts/services.sh up). Writes bench/results/ingest.json
// (or --out) and prints a table. Numbers from a shared 2-core machine: compare the ratio, not
// absolutes. Besides throughput it reports CPU seconds per phase — of the service, of this load
// generator and of the whole machine — and the service's CPU time per event, which other
// processes on the machine disturb far less than events/s.
//
// --compression gzip|none  Kafka compression of both paths (default gzip, the service's default):
//                          the service gets TRIBUTARY_KAFKA_COMPRESSION, the raw producer the same.
// --generator pooled|fresh pooled (default): request bodies and raw batches are serialised once
//                          before the run and reused round robin, so the generator spends its
//                          share of the cores on sending, not on JSON; fresh: built per request,
//                          as the first version of this benchmark did. Requests go over node:http
//                          keep-alive connections (lighter than fetch) either way.
// --raw-records api|minimal api (default): the raw producer writes the records the API writes for
//                          these events (StoredEvent value, the four headers); minimal: the lighter
//                          shape of the first version (fewer fields, two headers), for comparison.
// --cpu-prof DIR           run the service under `node --cpu-prof` and write its profile to DIR
//                          (summarise it with bench/ingest/profile-top.mjs).
// --only api|raw           run one path only (profiling).
// --env KEY=VALUE          extra environment for the service (repeatable), e.g.
//                          --env OTEL_SDK_DISABLED=true to measure what tracing costs.
// --out FILE               where to write the JSON (default bench/results/ingest.json).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { busyCores, machineJiffies, percentile, processCpuSeconds } from '../lib/cpu.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const { Kafka, logLevel, CompressionTypes, Partitioners } = require('kafkajs');
const { Client } = require('pg');
const { createMetadataDataSource } = require('@tributary/metadata');
const { ApiKeys, SchemaRegistry, Sources } = require('@tributary/registry');

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    batch: { type: 'string', default: '100' },
    port: { type: 'string', default: '3901' },
    compression: { type: 'string', default: 'gzip' },
    generator: { type: 'string', default: 'pooled' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
    'raw-records': { type: 'string', default: 'api' },
    env: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: join(root, 'bench', 'results', 'ingest.json') },
  },
});
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const concurrency = Number(args.concurrency);
const batchSize = Number(args.batch);
const brokers = [`127.0.0.1:${process.env.TRIBUTARY_KAFKA_PORT || '59092'}`];
const adminUrl = `postgres://tributary:tributary@127.0.0.1:${process.env.TRIBUTARY_PG_PORT || '55432'}/tributary`;
const runId = Date.now().toString(36);
const compressions = { gzip: CompressionTypes.GZIP, none: CompressionTypes.None };
if (!(args.compression in compressions)) throw new Error('--compression must be gzip or none');
if (!['api', 'minimal'].includes(args['raw-records']))
  throw new Error('--raw-records must be api or minimal');
if (!['pooled', 'fresh'].includes(args.generator))
  throw new Error('--generator must be pooled or fresh');
const compression = compressions[args.compression];
/** Distinct pre-serialised batches per path with --generator pooled, used round robin. */
const POOL = 256;

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function event(i, occurredAt = new Date().toISOString()) {
  return {
    type: 'order.placed',
    occurred_at: occurredAt,
    subject_id: `user-${i % 5000}`,
    properties: { order_id: `o-${i}`, amount: (i % 997) / 10, currency: 'EUR', items: i % 7 },
  };
}

function cpuSnapshot(servicePid) {
  const own = process.cpuUsage();
  return {
    service: processCpuSeconds(servicePid),
    generator: (own.user + own.system) / 1e6,
    machine: machineJiffies(),
  };
}

function cpuBetween(a, b, elapsedS, events) {
  const round = (x, digits = 2) => (x === undefined ? null : Number(x.toFixed(digits)));
  const service = a.service === undefined ? undefined : b.service - a.service;
  return {
    service_s: round(service),
    generator_s: round(b.generator - a.generator),
    machine_busy_cores: round(busyCores(a.machine, b.machine)),
    service_us_per_event:
      service === undefined || events === 0 ? null : round((service * 1e6) / events, 1),
    elapsed_s: round(elapsedS),
  };
}

/** Runs `worker` on `concurrency` loops for warmup + seconds; counts only after the warmup. */
async function load(name, worker, servicePid) {
  const latencies = [];
  let events = 0;
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  log(
    `${name}: ${concurrency} loops × ${batchSize}-event batches, ${warmup}s warm-up + ${seconds}s`,
  );
  let first;
  let last;
  let eventsAtLast = 0;
  const marks = [
    setTimeout(
      () => (first = { at: performance.now(), cpu: cpuSnapshot(servicePid) }),
      warmup * 1000,
    ),
    setTimeout(
      () => {
        last = { at: performance.now(), cpu: cpuSnapshot(servicePid) };
        eventsAtLast = events;
      },
      (warmup + seconds) * 1000,
    ),
  ];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      let n = loop * 1_000_000;
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await worker(n).catch(() => false);
        const t1 = performance.now();
        n += batchSize;
        if (t0 < measureFrom) continue;
        if (ok) {
          events += batchSize;
          latencies.push(t1 - t0);
        } else errors += 1;
      }
    }),
  );
  marks.forEach(clearTimeout);
  last ??= { at: performance.now(), cpu: cpuSnapshot(servicePid) };
  latencies.sort((a, b) => a - b);
  const result = {
    events_per_s: Math.round(events / seconds),
    p50_ms: Number(percentile(latencies, 50).toFixed(1)),
    p99_ms: Number(percentile(latencies, 99).toFixed(1)),
    requests: latencies.length,
    errors,
    cpu: first
      ? cpuBetween(first.cpu, last.cpu, (last.at - first.at) / 1000, eventsAtLast || events)
      : null,
  };
  log(`${name}: ${JSON.stringify(result)}`);
  return result;
}

/** POST over keep-alive connections with node:http (lighter on the shared cores than fetch). */
function poster(base, agent) {
  const url = new URL('/v1/events', base);
  return (body, headers) =>
    new Promise((resolvePost, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolvePost(res.statusCode));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

async function main() {
  if (
    spawnSync('bash', [join(root, 'scripts', 'services.sh'), 'up'], { stdio: 'inherit' }).status !==
    0
  ) {
    throw new Error('scripts/services.sh up failed');
  }
  const database = `bench_${runId}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = adminUrl.replace(/\/tributary$/, `/${database}`);
  const topic = `bench-events-${runId}`;

  const profile = args['cpu-prof']
    ? ['--cpu-prof', '--cpu-prof-dir', resolve(args['cpu-prof'])]
    : [];
  const service = spawn(
    process.execPath,
    [...profile, join(root, 'apps', 'ingest-api', 'dist', 'main.js')],
    {
      env: {
        PATH: process.env.PATH,
        TRIBUTARY_PROFILE: 'distributed',
        TRIBUTARY_KAFKA_BROKERS: brokers.join(','),
        TRIBUTARY_KAFKA_COMPRESSION: args.compression,
        TRIBUTARY_POSTGRES_URL: url,
        TRIBUTARY_REDIS_URL: 'redis://127.0.0.1:56379',
        TRIBUTARY_CLICKHOUSE_URL: 'http://127.0.0.1:8123',
        TRIBUTARY_EVENTS_TOPIC: topic,
        TRIBUTARY_DLQ_TOPIC: `bench-dlq-${runId}`,
        TRIBUTARY_INGEST_RATE_LIMIT: '100000000',
        TRIBUTARY_INGEST_PUBLISH_TIMEOUT: '30s',
        TRIBUTARY_INGEST_API_PORT: args.port,
        TRIBUTARY_HOST: '127.0.0.1',
        TRIBUTARY_LOG_LEVEL: 'warn',
        ...Object.fromEntries(args.env.map((pair) => pair.split(/=(.*)/s, 2))),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${args.port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    for (let i = 0; ; i += 1) {
      const ready = await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (i > 120) throw new Error('ingest-api did not become ready');
      await new Promise((r) => setTimeout(r, 250));
    }
    const metadata = await createMetadataDataSource({ url, poolSize: 1 }).initialize();
    await new Sources(metadata).create('bench');
    const { key } = await new ApiKeys(metadata).create('bench');
    await new SchemaRegistry(metadata).register('order.placed', {
      type: 'object',
      required: ['order_id', 'amount'],
      properties: {
        order_id: { type: 'string' },
        amount: { type: 'number' },
        currency: { type: 'string' },
        items: { type: 'integer' },
      },
    });
    await metadata.destroy();

    // Pooled: serialised once; occurred_at is the start of the run (in the past, so valid).
    const startedAt = new Date().toISOString();
    const pooled = args.generator === 'pooled';
    const batchOf = (n, at) => Array.from({ length: batchSize }, (_, i) => event(n + i, at));
    const pool = (build) =>
      pooled ? Array.from({ length: POOL }, (_, b) => build(b * batchSize, startedAt)) : [];
    const pick = (items, n) => items[Math.floor(n / batchSize) % items.length];

    const post = poster(base, agent);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const bodies = pool((n, at) => JSON.stringify(batchOf(n, at)));
    const api =
      args.only === 'raw'
        ? null
        : await load(
            'api',
            async (n) => {
              const body = pooled ? pick(bodies, n) : JSON.stringify(batchOf(n));
              return (await post(body, headers)) === 202;
            },
            service.pid,
          );

    const kafka = new Kafka({ brokers, clientId: 'bench-raw', logLevel: logLevel.ERROR });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    // The raw records: what the API writes for these events (fixed traceparent), or --raw-records
    // minimal, the first version's lighter shape.
    const rawHeaders =
      args['raw-records'] === 'minimal'
        ? { 'correlation-id': runId, schema: 'order.placed@1' }
        : {
            'correlation-id': randomUUID(),
            'content-type': 'application/json',
            schema: 'order.placed@1',
            traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().slice(0, 18).replace(/-/g, '')}-01`,
          };
    const rawBatch = (n, at) =>
      batchOf(n, at).map((e) => {
        const ingestedAt = at ?? new Date().toISOString();
        const value =
          args['raw-records'] === 'minimal'
            ? { ...e, event_id: randomUUID(), _ingested_at: ingestedAt, _source: 'bench' }
            : {
                event_id: randomUUID(),
                type: e.type,
                schema_version: null,
                occurred_at: e.occurred_at,
                subject_id: e.subject_id,
                properties: e.properties,
                _ingested_at: ingestedAt,
                _source: 'bench',
                _correlation_id: rawHeaders['correlation-id'],
                _schema_version: 1,
              };
        return { key: e.subject_id, value: JSON.stringify(value), headers: rawHeaders };
      });
    const rawBatches = pool(rawBatch);
    const raw =
      args.only === 'api'
        ? null
        : await load(
            'raw kafkajs',
            async (n) => {
              await producer.sendBatch({
                topicMessages: [{ topic, messages: pooled ? pick(rawBatches, n) : rawBatch(n) }],
                acks: -1,
                compression,
              });
              return true;
            },
            service.pid,
          );
    await producer.disconnect();

    const results = {
      benchmark: 'ingest',
      date: new Date().toISOString(),
      command: `node bench/ingest/run.mjs --seconds ${seconds} --concurrency ${concurrency} --batch ${batchSize} --compression ${args.compression} --generator ${args.generator} --raw-records ${args['raw-records']}`,
      machine: { cpus: cpus().length, node: process.version },
      api,
      raw_kafkajs: raw,
      ratio_api_to_raw:
        api && raw ? Number((api.events_per_s / raw.events_per_s).toFixed(2)) : null,
    };
    writeFileSync(resolve(args.out), `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      '\n| path | events/s | p50 ms | p99 ms | errors | service µs CPU/event |\n|---|---|---|---|---|---|',
    );
    for (const [name, r] of [
      ['POST /v1/events', api],
      ['raw kafkajs', raw],
    ]) {
      if (r) {
        console.log(
          `| ${name} | ${r.events_per_s} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors} | ${r.cpu?.service_us_per_event ?? ''} |`,
        );
      }
    }
    console.log(`\nratio API / raw: ${results.ratio_api_to_raw}`);
  } finally {
    agent.destroy();
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    await dropTopics([topic, `bench-dlq-${runId}`]);
  }
}

/** A run writes hundreds of MB to the shared broker: delete its topics like its database. */
async function dropTopics(topics) {
  const kafkaAdmin = new Kafka({
    brokers,
    clientId: 'bench-cleanup',
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await kafkaAdmin.connect();
    const existing = new Set(await kafkaAdmin.listTopics());
    const ours = topics.filter((t) => existing.has(t));
    if (ours.length > 0) await kafkaAdmin.deleteTopics({ topics: ours });
  } catch (error) {
    log(`could not delete the run's topics ${topics.join(', ')}: ${error.message}`);
  } finally {
    await kafkaAdmin.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
