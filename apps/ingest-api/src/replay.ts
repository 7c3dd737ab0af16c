#!/usr/bin/env node
// DLQ replay CLI: `node apps/ingest-api/dist/replay.js [--from-beginning] [--group name]`.
// Reads the DLQ topic with a consumer group (default `dlq-replay`: a rerun continues where the
// last one stopped), re-validates every record as intake does and republishes what now passes.
// Offsets are committed only after the republished events are acknowledged by the log (Kafka, or
// the embedded log under the data folder when no brokers are configured).
import { loadConfig } from '@tributary/config';
import type { DlqRecord } from '@tributary/contracts';
import { messageLogFor } from '@tributary/connections';
import type { ConsumedRecord, PartitionSink, RunningConsumer } from '@tributary/messaging';
import { createMetadataDataSource } from '@tributary/metadata';
import { SchemaRegistry } from '@tributary/registry';
import { parseArgs } from 'node:util';
import { replayDlq } from './events/dlq-replay';

const usage = 'usage: replay [--group dlq-replay] [--from-beginning] [--idle-seconds 5]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      group: { type: 'string', default: 'dlq-replay' },
      'from-beginning': { type: 'boolean', default: false },
      'idle-seconds': { type: 'string', default: '5' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const config = loadConfig();
  if (!config.postgres.url) {
    process.stderr.write('replay needs TRIBUTARY_POSTGRES_URL: schemas live there\n');
    return 2;
  }
  const log = messageLogFor(config, 'replay');
  const metadata = await createMetadataDataSource({
    url: config.postgres.url,
    poolSize: 2,
  }).initialize();
  const schemas = new SchemaRegistry(metadata);
  const totals = {
    replayed: 0,
    stillRefused: {} as Record<string, number>,
    unreadable: 0,
    read: 0,
  };
  let lastBatchAt = Date.now();
  // Replay is at-least-once (no sink progress to consult): the log commits a range only after
  // `write` returned, i.e. after the replayed events were acknowledged; a rerun after a crash may
  // publish some again, and their event ids make the copies deduplicable downstream.
  const sink: PartitionSink = {
    storedUpTo: async () => undefined,
    write: async (_range, messages: readonly ConsumedRecord[]) => {
      const records = messages.map((m) => JSON.parse(String(m.value)) as DlqRecord);
      const outcome = await replayDlq(
        records,
        { schemas, bus: log, now: () => new Date() },
        {
          eventsTopic: config.kafka.eventsTopic,
          maxEventBytes: config.ingest.maxEventBytes,
          maxFutureSkewMs: config.ingest.maxFutureSkew,
          publishTimeoutMs: config.ingest.publishTimeout,
        },
      );
      totals.read += records.length;
      totals.replayed += outcome.replayed;
      totals.unreadable += outcome.unreadable;
      for (const [reason, n] of Object.entries(outcome.stillRefused))
        totals.stillRefused[reason] = (totals.stillRefused[reason] ?? 0) + n;
      lastBatchAt = Date.now();
      process.stderr.write(`replay: ${totals.read} read, ${totals.replayed} replayed\n`);
    },
  };
  let consumer: RunningConsumer | undefined;
  try {
    consumer = await log.consume({
      groupId: values.group,
      topic: config.kafka.dlqTopic,
      fromBeginning: values['from-beginning'],
      sink,
    });
    const idleMs = Number(values['idle-seconds']) * 1000;
    while (Date.now() - lastBatchAt < idleMs)
      await new Promise((resolve) => setTimeout(resolve, 250));
  } finally {
    await consumer?.stop();
    await log.close();
    await metadata.destroy();
  }
  process.stdout.write(`${JSON.stringify(totals)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
