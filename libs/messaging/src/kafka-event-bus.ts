import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { BusUnavailableError, type EventBus, type TopicBatch } from './event-bus';
import { createProducer } from './kafka-client';

export interface KafkaBusOptions {
  topicPartitions: number;
  replicationFactor: number;
}

/**
 * The bus on Kafka: one idempotent producer (acks=all, one request in flight, so broker-side
 * dedup keeps producer retries from adding copies), gzip-compressed batches, lazy connection that
 * is retried after a failure instead of leaving the service broken.
 */
export class KafkaEventBus implements EventBus {
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;
  private readonly ensured = new Set<string>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaBusOptions,
  ) {
    this.producer = createProducer(kafka);
  }

  async publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void> {
    const topicMessages = batch
      .filter((entry) => entry.messages.length > 0)
      .map((entry) => ({ topic: entry.topic, messages: entry.messages.map((m) => ({ ...m })) }));
    if (topicMessages.length === 0) return;
    await withTimeout(
      (async () => {
        await this.connect();
        await this.ensureTopics(topicMessages.map((entry) => entry.topic));
        await this.producer.sendBatch({
          topicMessages,
          acks: -1,
          compression: CompressionTypes.GZIP,
        });
      })(),
      options.timeoutMs,
    );
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((topic) => !this.ensured.has(topic));
    if (missing.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const toCreate = missing.filter((topic) => !existing.has(topic));
      if (toCreate.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: toCreate.map((topic) => ({
            topic,
            numPartitions: this.options.topicPartitions,
            replicationFactor: this.options.replicationFactor,
          })),
        });
      }
      for (const topic of missing) this.ensured.add(topic);
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined; // try again on the next publish
      throw error;
    });
    return this.connecting;
  }
}

async function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  // A failure that lands after the timeout was already reported as unavailable: mark it handled
  // so it cannot crash the process as an unhandled rejection.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const retryAfterSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new BusUnavailableError(
                `Kafka did not acknowledge within ${timeoutMs} ms`,
                retryAfterSeconds,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    if (error instanceof BusUnavailableError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BusUnavailableError(`Kafka refused the write: ${reason}`, retryAfterSeconds, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
