import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { BusUnavailableError, type EventBus, type TopicBatch } from './event-bus';
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

interface Pending {
  batch: TopicBatch;
  /** Its caller gave up (timeout) before the records left: do not send them any more. */
  cancelled: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The bus on Kafka: one idempotent producer (acks=all, one request in flight, so broker-side
 * dedup keeps producer retries from adding copies), gzip-compressed batches unless configured
 * otherwise, lazy connection that is retried after a failure instead of leaving the service broken.
 *
 * Group commit: while one write is in flight, publishes that arrive meanwhile queue up and go
 * out together in the next single write, each caller released when that write is acknowledged.
 * Under load that turns many small requests into few large ones (the producer allows only one
 * in flight); when idle, a publish is sent at once, so batching adds no latency.
 */
export class KafkaEventBus implements EventBus {
  private readonly producer: Producer;
  private connecting: Promise<void> | undefined;
  private readonly ensured = new Set<string>();
  private queue: Pending[] = [];
  private flushing = false;
  private readonly compression: CompressionTypes;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaBusOptions,
  ) {
    this.producer = createProducer(kafka);
    this.compression = COMPRESSION[options.compression ?? 'gzip'];
  }

  async publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void> {
    if (batch.every((entry) => entry.messages.length === 0)) return;
    let entry: Pending | undefined;
    const written = new Promise<void>((resolve, reject) => {
      entry = { batch, cancelled: false, resolve, reject };
      this.queue.push(entry);
    });
    this.flush();
    try {
      await withTimeout(written, options.timeoutMs);
    } catch (error) {
      // Still queued: withdraw it, so a 503 leaves nothing behind. Already sent: it may land.
      if (entry) entry.cancelled = true;
      throw error;
    }
  }

  /** Sends everything queued in one write; when it completes, sends what queued meanwhile. */
  private flush(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const pending = this.queue.filter((entry) => !entry.cancelled);
    this.queue = [];
    if (pending.length === 0) {
      this.flushing = false;
      return;
    }
    const byTopic = new Map<
      string,
      Array<{ key: string; value: string; headers: Record<string, string> }>
    >();
    for (const { batch } of pending) {
      for (const entry of batch) {
        const messages = byTopic.get(entry.topic) ?? [];
        for (const message of entry.messages) messages.push(message);
        byTopic.set(entry.topic, messages);
      }
    }
    const topicMessages = [...byTopic]
      .filter(([, m]) => m.length > 0)
      .map(([topic, messages]) => ({ topic, messages }));
    void (async () => {
      try {
        await this.connect();
        await this.ensureTopics(topicMessages.map((entry) => entry.topic));
        // One write carries records of many requests, each with its own traceparent (set by the
        // caller's producer span). Tracing is suppressed around it so the kafkajs
        // instrumentation neither parents every record under whichever request triggered the
        // write nor overwrites their traceparent headers.
        await context.with(suppressTracing(ROOT_CONTEXT), () =>
          this.producer.sendBatch({ topicMessages, acks: -1, compression: this.compression }),
        );
        for (const p of pending) p.resolve();
      } catch (error) {
        for (const p of pending) p.reject(error);
      } finally {
        this.flushing = false;
        this.flush();
      }
    })();
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
