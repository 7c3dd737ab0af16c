import { Kafka, logLevel } from 'kafkajs';
import { localServices } from './local-services';
import { uniqueName } from './names';
import { waitFor } from './wait-for';

export interface ReadMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Reads a topic of the local Kafka from the beginning with a fresh consumer group until `count`
 * messages arrived (or the deadline passed: then it fails with how many it saw). For assertions
 * on what a service really wrote to the broker.
 */
export async function readTopic(
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const kafka = new Kafka({ brokers: localServices().kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('test-reader') });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        messages.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
          partition,
          offset: message.offset,
        });
      },
    });
    await waitFor(
      () => {
        if (messages.length < count)
          throw new Error(`${topic}: ${messages.length} of ${count} messages so far`);
      },
      { timeoutMs },
    );
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
