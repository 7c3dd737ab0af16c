import { currentPublisher, type Publisher, runInSendSpan } from '@tributary/telemetry';
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import type { EventBus, TopicBatch } from './event-bus';
import { PublishQueue, type TopicMessages } from './publish-queue';
import { createProducer } from './kafka-client';

export interface KafkaBusOptions {
  topicPartitions: number;
  replicationFactor: number;
  /**
   * Compression of each produced batch: gzip (the default) or none. gzip runs on libuv's thread
   * pool, not the event loop, but it is CPU all the same; none trades it for bytes on the wire.
   */
  compression?: 'gzip' | 'none';
}

const COMPRESSION = { gzip: CompressionTypes.GZIP, none: CompressionTypes.None } as const;

/**
 * The bus on Kafka: one idempotent producer (acks=all, one request in flight, so broker-side
 * dedup keeps producer retries from adding copies), gzip-compressed batches unless configured
 * otherwise, lazy connection that is retried after a failure instead of leaving the service broken.
 *
 * Group commit (PublishQueue): while one write is in flight, publishes that arrive meanwhile go
 * out together in the next single write — the producer allows only one request in flight.
 */
export class KafkaEventBus implements EventBus {
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;
  private readonly ensured = new Set<string>();
  private readonly queue = new PublishQueue(
    (messages, publishers: Publisher[]) => this.send(messages, publishers),
    'Kafka',
    currentPublisher,
  );
  private readonly compression: CompressionTypes;
  private readonly sendBatch: Producer['sendBatch'];

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaBusOptions,
  ) {
    this.producer = createProducer(kafka);
    this.sendBatch = unwrapped(this.producer.sendBatch).bind(this.producer);
    this.compression = COMPRESSION[options.compression ?? 'gzip'];
  }

  publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void> {
    return this.queue.publish(batch, options);
  }

  /**
   * One write of what queued meanwhile: connect, make sure the topics exist, send. It carries
   * records of many publishes, each with the traceparent of its own caller's producer span; the
   * write gets one `send` span linked to those (runInSendSpan), and tracing is suppressed inside,
   * so the kafkajs instrumentation neither starts a span per record under whichever caller
   * triggered the write nor overwrites the records' traceparent.
   */
  private async send(topicMessages: TopicMessages, publishers: Publisher[]): Promise<void> {
    const topics = topicMessages.map((entry) => entry.topic);
    let messageCount = 0;
    for (const entry of topicMessages) messageCount += entry.messages.length;
    await runInSendSpan({ topics, messageCount, publishers }, async () => {
      await this.connect();
      await this.ensureTopics(topics);
      await this.sendBatch({ topicMessages, acks: -1, compression: this.compression });
    });
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

/**
 * kafkajs's own function, past the wrapper the OpenTelemetry kafkajs instrumentation puts around
 * `sendBatch` (the instrumentation's shimmer keeps the wrapped function as `__original`). Under
 * the bus's suppressed tracing that wrapper still does work per record — a no-op span, its
 * attributes, a refused header injection, a metric closure (0.6–1 µs of CPU per record, measured
 * in isolation) — that the bus's own span per write makes pointless. The instrumentation's
 * per-record `messaging.client.sent.messages` metric goes with it; the services export no
 * OpenTelemetry metrics (prom-client's `/metrics` counts events). Without the property (not
 * instrumented, or a future version) this is `fn` itself, which is still correct, as tracing
 * is suppressed around it.
 */
function unwrapped<F extends (...args: never[]) => unknown>(fn: F): F {
  const original = (fn as F & { __original?: unknown }).__original;
  return typeof original === 'function' ? (original as F) : fn;
}
