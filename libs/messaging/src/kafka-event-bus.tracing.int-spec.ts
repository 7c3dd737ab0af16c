import { context, type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  injectMessageHeaders,
  runInProducerSpan,
  runWithCorrelation,
  startTelemetry,
  type Telemetry,
} from '@tributary/telemetry';
import { localServices, readTopic, uniqueName } from '@tributary/testing';
import * as kafkajs from 'kafkajs';
import { createKafka, createProducer } from './kafka-client';
import { KafkaEventBus } from './kafka-event-bus';

const KAFKAJS_SCOPE = '@opentelemetry/instrumentation-kafkajs';
const REQUESTS = 6;
const RECORDS_PER_REQUEST = 5;

/**
 * The bus under the process's real tracing setup (startTelemetry, with an in-memory exporter) and
 * the kafkajs auto-instrumentation applied. jest loads modules without Node's require hooks, so
 * the instrumentation's patch is applied here by hand to the kafkajs module the bus uses; the
 * first test shows it is live.
 */
describe('KafkaEventBus tracing under group commit', () => {
  const exporter = new InMemorySpanExporter();
  const instrumentation = new KafkaJsInstrumentation();
  const kafkaModule = instrumentation
    .getModuleDefinitions()
    .find((definition) => definition.name === 'kafkajs');
  let telemetry: Telemetry;
  const tracer = () => trace.getTracer('bus-tracing-spec');
  const brokers = localServices().kafkaBrokers;

  beforeAll(() => {
    telemetry = startTelemetry({
      serviceName: 'bus-tracing-spec',
      serviceVersion: 'test',
      environment: 'test',
      sampleRatio: 1,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    kafkaModule?.patch?.(kafkajs);
  });
  beforeEach(() => exporter.reset());
  afterAll(async () => {
    kafkaModule?.unpatch?.(kafkajs);
    instrumentation.disable();
    await telemetry.shutdown();
  });

  const spansOf = (scope: string, spans = exporter.getFinishedSpans()): ReadableSpan[] =>
    spans.filter((span) => span.instrumentationScope.name === scope);

  it('control: the kafkajs instrumentation is live here and rewrites traceparent per record', async () => {
    const producer = createProducer(createKafka({ brokers, clientId: 'bus-tracing-spec' }));
    const topic = uniqueName('bus-trace-control');
    await producer.connect();
    try {
      const caller = await tracer().startActiveSpan('caller', async (span) => {
        const headers = injectMessageHeaders() as Record<string, string>;
        await producer.sendBatch({
          acks: -1,
          topicMessages: [
            {
              topic,
              messages: [
                { key: 'a', value: '1', headers: { ...headers } },
                { key: 'b', value: '2', headers: { ...headers } },
              ],
            },
          ],
        });
        span.end();
        return span.spanContext();
      });
      const kafkajsSpans = spansOf(KAFKAJS_SCOPE);
      expect(kafkajsSpans.map((span) => span.name)).toEqual([`send ${topic}`, `send ${topic}`]);
      expect(kafkajsSpans.every((span) => span.kind === SpanKind.PRODUCER)).toBe(true);
      const records = await readTopic(topic, 2);
      for (const record of records) {
        const [, traceId, spanId] = record.headers.traceparent.split('-');
        expect(traceId).toBe(caller.traceId);
        expect(spanId).not.toBe(caller.spanId); // the instrumentation's own per-record span
      }
    } finally {
      await producer.disconnect();
    }
  });

  it("keeps each request's traceparent on its own records and traces a write with one span", async () => {
    const bus = new KafkaEventBus(createKafka({ brokers, clientId: 'bus-tracing-spec' }), {
      topicPartitions: 3,
      replicationFactor: 1,
    });
    const topic = uniqueName('bus-trace');
    await bus.ensureTopics([topic]);

    /** One request: a server span, the intake's producer span, records built inside it. */
    const request = (i: number): Promise<{ server: SpanContext; producer: SpanContext }> =>
      runWithCorrelation(`bus-trace-${i}`, () =>
        tracer().startActiveSpan(`POST ${i}`, { kind: SpanKind.SERVER }, async (server) => {
          try {
            const producer = await runInProducerSpan(topic, {}, async () => {
              // One headers object for all records of a request, as the intake builds them.
              const headers = injectMessageHeaders() as Record<string, string>;
              await bus.publish(
                [
                  {
                    topic,
                    messages: Array.from({ length: RECORDS_PER_REQUEST }, (_, n) => ({
                      key: `k${i}-${n}`,
                      value: JSON.stringify({ request: i, n }),
                      headers,
                    })),
                  },
                ],
                { timeoutMs: 30_000 },
              );
              return trace.getSpanContext(context.active()) as SpanContext;
            });
            return { server: server.spanContext(), producer };
          } finally {
            server.end();
          }
        }),
      );

    try {
      // All publishes start in one tick: the first is written alone at once, the other five
      // queue behind it and go out together in the second write (group commit).
      const requests = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => request(i)));
      expect(new Set(requests.map((r) => r.server.traceId)).size).toBe(REQUESTS);
      // Before reading the topic back: the reader's consumer is instrumented too.
      const spans = [...exporter.getFinishedSpans()];

      const records = await readTopic(topic, REQUESTS * RECORDS_PER_REQUEST);
      expect(records).toHaveLength(REQUESTS * RECORDS_PER_REQUEST);
      for (const record of records) {
        const { request: i } = JSON.parse(record.value) as { request: number };
        const { producer } = requests[i];
        expect(record.headers.traceparent).toBe(`00-${producer.traceId}-${producer.spanId}-01`);
        expect(record.headers['correlation-id']).toBe(`bus-trace-${i}`);
      }

      // Spans: the test's own 2 per request, and one per write — none per record.
      expect(spansOf(KAFKAJS_SCOPE, spans).map((s) => s.name)).toEqual([]);
      const writes = spansOf('@tributary/telemetry', spans).filter(
        (s) => s.kind === SpanKind.CLIENT,
      );
      expect(spans).toHaveLength(2 * REQUESTS + writes.length);
      expect(writes.map((s) => s.name)).toEqual([`send ${topic}`, `send ${topic}`]);

      const [first, coalesced] = writes;
      const linked = (span: ReadableSpan) => span.links.map((link) => link.context.spanId);
      expect(linked(first)).toEqual([requests[0].producer.spanId]);
      expect(linked(coalesced)).toEqual(requests.slice(1).map((r) => r.producer.spanId));
      for (const write of writes) expect(write.parentSpanContext).toBeUndefined();
      expect(coalesced.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.batch.message_count': (REQUESTS - 1) * RECORDS_PER_REQUEST,
        'tributary.correlation_ids': requests.slice(1).map((_, i) => `bus-trace-${i + 1}`),
      });
    } finally {
      await bus.close();
    }
  });
});
