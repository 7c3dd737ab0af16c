#!/usr/bin/env node
// bench/ingest: events/s and latency through POST /v1/events, beside a raw kafkajs producer
// sending the same events to the same local Kafka in the same run (the baseline).
//
//   npm run build && node bench/ingest/run.mjs [--seconds 20] [--concurrency 16] [--batch 100]
//
// Needs the local services (it runs scripts/services.sh up). Writes bench/results/ingest.json
// and prints a table. Numbers from a shared 2-core machine: compare the ratio, not absolutes.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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
  },
});
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const concurrency = Number(args.concurrency);
const batchSize = Number(args.batch);
const brokers = [`127.0.0.1:${process.env.TRIBUTARY_KAFKA_PORT || '59092'}`];
const adminUrl = `postgres://tributary:tributary@127.0.0.1:${process.env.TRIBUTARY_PG_PORT || '55432'}/tributary`;
const runId = Date.now().toString(36);

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function percentile(sorted, p) {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function event(i) {
  return {
    type: 'order.placed',
    occurred_at: new Date().toISOString(),
    subject_id: `user-${i % 5000}`,
    properties: { order_id: `o-${i}`, amount: (i % 997) / 10, currency: 'EUR', items: i % 7 },
  };
}

/** Runs `worker` on `concurrency` loops for warmup + seconds; counts only after the warmup. */
async function load(name, worker) {
  const latencies = [];
  let events = 0;
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  log(
    `${name}: ${concurrency} loops × ${batchSize}-event batches, ${warmup}s warm-up + ${seconds}s`,
  );
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
  latencies.sort((a, b) => a - b);
  const result = {
    events_per_s: Math.round(events / seconds),
    p50_ms: Number(percentile(latencies, 50).toFixed(1)),
    p99_ms: Number(percentile(latencies, 99).toFixed(1)),
    requests: latencies.length,
    errors,
  };
  log(`${name}: ${JSON.stringify(result)}`);
  return result;
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

  const service = spawn(process.execPath, [join(root, 'apps', 'ingest-api', 'dist', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      TRIBUTARY_PROFILE: 'distributed',
      TRIBUTARY_KAFKA_BROKERS: brokers.join(','),
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
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${args.port}`;
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

    const api = await load('api', async (n) => {
      const body = JSON.stringify(Array.from({ length: batchSize }, (_, i) => event(n + i)));
      const response = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      return response.status === 202;
    });

    const kafka = new Kafka({ brokers, clientId: 'bench-raw', logLevel: logLevel.ERROR });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const raw = await load('raw kafkajs', async (n) => {
      const messages = Array.from({ length: batchSize }, (_, i) => {
        const e = {
          ...event(n + i),
          event_id: randomUUID(),
          _ingested_at: new Date().toISOString(),
          _source: 'bench',
        };
        return {
          key: e.subject_id,
          value: JSON.stringify(e),
          headers: { 'correlation-id': runId, schema: 'order.placed@1' },
        };
      });
      await producer.sendBatch({
        topicMessages: [{ topic, messages }],
        acks: -1,
        compression: CompressionTypes.GZIP,
      });
      return true;
    });
    await producer.disconnect();

    const results = {
      benchmark: 'ingest',
      date: new Date().toISOString(),
      command: `node bench/ingest/run.mjs --seconds ${seconds} --concurrency ${concurrency} --batch ${batchSize}`,
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      api,
      raw_kafkajs: raw,
      ratio_api_to_raw: Number((api.events_per_s / raw.events_per_s).toFixed(2)),
    };
    writeFileSync(
      join(root, 'bench', 'results', 'ingest.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    console.log('\n| path | events/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|');
    console.log(
      `| POST /v1/events | ${api.events_per_s} | ${api.p50_ms} | ${api.p99_ms} | ${api.errors} |`,
    );
    console.log(
      `| raw kafkajs | ${raw.events_per_s} | ${raw.p50_ms} | ${raw.p99_ms} | ${raw.errors} |`,
    );
    console.log(`\nratio API / raw: ${results.ratio_api_to_raw}`);
  } finally {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
