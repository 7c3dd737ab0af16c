#!/usr/bin/env node
// DLQ replay CLI: `node apps/ingest-api/dist/replay.js [--from-beginning] [--group name]`.
// Reads the DLQ topic with a consumer group (default `dlq-replay`: a rerun continues where the
// last one stopped), re-validates every record as intake does and republishes what now passes.
// Offsets are committed only after the republished events are acknowledged by Kafka.
import { loadConfig } from '@tributary/config';
import type { DlqRecord } from '@tributary/contracts';
import { eventBusFor, kafkaFor } from '@tributary/connections';
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
  if (!config.kafka.brokers || !config.postgres.url) {
    process.stderr.write(
      'replay needs TRIBUTARY_KAFKA_BROKERS and TRIBUTARY_POSTGRES_URL (the distributed profile)\n',
    );
    return 2;
  }
  const kafka = kafkaFor(config, 'replay');
  const bus = eventBusFor(config, kafka);
  const metadata = await createMetadataDataSource({
    url: config.postgres.url,
    poolSize: 2,
  }).initialize();
  const schemas = new SchemaRegistry(metadata);
  const consumer = kafka.consumer({ groupId: values.group });
  const totals = {
    replayed: 0,
    stillRefused: {} as Record<string, number>,
    unreadable: 0,
    read: 0,
  };
  let lastBatchAt = Date.now();
  try {
    await consumer.connect();
    await consumer.subscribe({
      topic: config.kafka.dlqTopic,
      fromBeginning: values['from-beginning'],
    });
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        const records = batch.messages.map((m) => JSON.parse(String(m.value)) as DlqRecord);
        const outcome = await replayDlq(
          records,
          { schemas, bus, now: () => new Date() },
          {
            eventsTopic: config.kafka.eventsTopic,
            maxEventBytes: config.ingest.maxEventBytes,
            maxFutureSkewMs: config.ingest.maxFutureSkew,
            publishTimeoutMs: config.ingest.publishTimeout,
          },
        );
        // Commit only now: the replayed events are acknowledged by Kafka.
        resolveOffset(batch.lastOffset());
        await commitOffsetsIfNecessary({
          topics: [
            {
              topic: batch.topic,
              partitions: [
                { partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) },
              ],
            },
          ],
        });
        totals.read += records.length;
        totals.replayed += outcome.replayed;
        totals.unreadable += outcome.unreadable;
        for (const [reason, n] of Object.entries(outcome.stillRefused))
          totals.stillRefused[reason] = (totals.stillRefused[reason] ?? 0) + n;
        lastBatchAt = Date.now();
        process.stderr.write(`replay: ${totals.read} read, ${totals.replayed} replayed\n`);
      },
    });
    const idleMs = Number(values['idle-seconds']) * 1000;
    while (Date.now() - lastBatchAt < idleMs)
      await new Promise((resolve) => setTimeout(resolve, 250));
  } finally {
    await consumer.disconnect();
    await bus.close();
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
