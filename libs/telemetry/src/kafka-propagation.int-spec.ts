import { SpanKind, type SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { localServices, uniqueName, waitFor } from '@tributary/testing';
import {
  type Admin,
  type Consumer,
  Kafka,
  type KafkaMessage,
  logLevel,
  type Producer,
} from 'kafkajs';
import { runInConsumerSpan } from './consumer-span';
import { currentCorrelationId, runWithCorrelation } from './correlation-context';
import { injectMessageHeaders } from './message-headers';
import { CORRELATION_ID_ATTRIBUTE, CORRELATION_IDS_ATTRIBUTE } from './names';
import { useTestTracing } from './spec-helpers';

// jest loads modules without Node's require hooks, so the kafkajs auto-instrumentation never runs
// here: these tests show that the helpers alone carry trace and correlation across the broker.
const { exporter, tracer } = useTestTracing();

describe('trace and correlation across real Kafka', () => {
  // kafkajs itself, not @tributary/messaging: messaging depends on this lib (its send span).
  const kafka = new Kafka({
    brokers: localServices().kafkaBrokers,
    clientId: 'telemetry-int-spec',
    logLevel: logLevel.WARN,
  });
  let admin: Admin;
  let producer: Producer;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    await Promise.all([producer?.disconnect(), admin?.disconnect()]);
  });

  /** Produces one message inside its own PRODUCER span and correlation; returns the span. */
  async function produceTraced(
    topic: string,
    correlationId: string,
    n: number,
  ): Promise<SpanContext> {
    return runWithCorrelation(correlationId, () =>
      tracer.startActiveSpan(`publish ${topic}`, { kind: SpanKind.PRODUCER }, async (span) => {
        try {
          await producer.send({
            topic,
            acks: -1,
            messages: [
              {
                key: 'subject-1',
                value: JSON.stringify({ n }),
                headers: injectMessageHeaders({ 'content-type': 'application/json' }),
              },
            ],
          });
          return span.spanContext();
        } finally {
          span.end();
        }
      }),
    );
  }

  /** A fresh topic and a consumer group member reading it from the beginning. */
  async function subscribe(prefix: string): Promise<{ topic: string; consumer: Consumer }> {
    const topic = uniqueName(prefix);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const consumer = kafka.consumer({ groupId: uniqueName(`${prefix}-group`) });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return { topic, consumer };
  }

  function consumerSpans(): ReadableSpan[] {
    return exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CONSUMER);
  }

  it('makes the consumer span a child of the producer span and restores the correlation id', async () => {
    const { topic, consumer } = await subscribe('telemetry-single');
    const handled: Array<{ correlationId?: string; headers: KafkaMessage['headers'] }> = [];
    await consumer.run({
      eachMessage: ({ topic: from, partition, message }) =>
        runInConsumerSpan({ topic: from, messages: [{ ...message, partition }] }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          handled.push({ correlationId: currentCorrelationId(), headers: message.headers });
        }),
    });

    const producerSpan = await produceTraced(topic, 'int-corr-single', 1);
    await waitFor(() => expect(handled).toHaveLength(1), { timeoutMs: 30_000 });

    const [span] = consumerSpans();
    expect(consumerSpans()).toHaveLength(1);
    expect(span.spanContext().traceId).toBe(producerSpan.traceId);
    expect(span.parentSpanContext?.spanId).toBe(producerSpan.spanId);
    expect(span.parentSpanContext?.isRemote).toBe(true);
    expect(span.name).toBe(`process ${topic}`);
    expect(span.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': 0,
      [CORRELATION_ID_ATTRIBUTE]: 'int-corr-single',
    });
    expect(handled[0].correlationId).toBe('int-corr-single');
    // What crossed the broker: W3C trace context and the correlation id, as Buffers.
    expect(handled[0].headers?.traceparent?.toString()).toBe(
      `00-${producerSpan.traceId}-${producerSpan.spanId}-01`,
    );
    expect(handled[0].headers?.['correlation-id']?.toString()).toBe('int-corr-single');
    expect(handled[0].headers?.['content-type']?.toString()).toBe('application/json');
  });

  it('links one batch span to the producer span of each of 3 messages', async () => {
    const { topic, consumer } = await subscribe('telemetry-batch');
    const received: KafkaMessage[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });

    const producerSpans = [
      await produceTraced(topic, 'int-batch-a', 1),
      await produceTraced(topic, 'int-batch-b', 2),
      await produceTraced(topic, 'int-batch-c', 3),
    ];
    await waitFor(() => expect(received).toHaveLength(3), { timeoutMs: 30_000 });

    const seen = await runInConsumerSpan(
      { topic, messages: received.map((message) => ({ ...message, partition: 0 })) },
      () => currentCorrelationId(),
    );

    const spans = consumerSpans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links.map((link) => link.context)).toEqual(
      producerSpans.map(({ traceId, spanId }) =>
        expect.objectContaining({ traceId, spanId, isRemote: true }),
      ),
    );
    expect(new Set(producerSpans.map((s) => s.traceId)).size).toBe(3);
    expect(span.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.batch.message_count': 3,
      [CORRELATION_ID_ATTRIBUTE]: 'int-batch-a',
      [CORRELATION_IDS_ATTRIBUTE]: ['int-batch-a', 'int-batch-b', 'int-batch-c'],
    });
    expect(seen).toBe('int-batch-a');
  });
});
