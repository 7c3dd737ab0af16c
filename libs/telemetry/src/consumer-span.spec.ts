import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MAX_BATCH_CORRELATION_IDS, runInConsumerSpan } from './consumer-span';
import { currentCorrelationId, runWithCorrelation } from './correlation-context';
import { sanitizeCorrelationId } from './correlation-id';
import { currentLogContext } from './log-context';
import { injectMessageHeaders, type MessageHeaders } from './message-headers';
import { CORRELATION_ID_ATTRIBUTE, CORRELATION_IDS_ATTRIBUTE } from './names';
import { useTestTracing } from './spec-helpers';

const { exporter, tracer } = useTestTracing();

/** Headers as a producer span with `correlationId` would send them; returns that span's context. */
function produced(correlationId: string | undefined, name = 'publish') {
  const produce = () =>
    tracer.startActiveSpan(name, { kind: SpanKind.PRODUCER }, (span) => {
      span.end();
      return { headers: injectMessageHeaders(), producer: span.spanContext() };
    });
  return correlationId === undefined ? produce() : runWithCorrelation(correlationId, produce);
}

function consumerSpan(): ReadableSpan {
  const spans = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CONSUMER);
  expect(spans).toHaveLength(1);
  return spans[0];
}

describe(runInConsumerSpan.name, () => {
  describe('one message', () => {
    it('runs fn in a CONSUMER span that is a child of the producer span', async () => {
      const { headers, producer } = produced('one-1');
      const inside = await runInConsumerSpan(
        {
          topic: 'orders',
          messages: [{ headers, partition: 2, offset: '41' }],
          consumerGroup: 'speed',
        },
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return { correlationId: currentCorrelationId(), log: currentLogContext() };
        },
      );

      const span = consumerSpan();
      expect(span.name).toBe('process orders');
      expect(span.spanContext().traceId).toBe(producer.traceId);
      expect(span.parentSpanContext?.spanId).toBe(producer.spanId);
      expect(span.links).toEqual([]);
      expect(span.attributes).toEqual({
        'messaging.system': 'kafka',
        'messaging.destination.name': 'orders',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.consumer.group.name': 'speed',
        'messaging.destination.partition.id': '2',
        'messaging.kafka.offset': 41,
        [CORRELATION_ID_ATTRIBUTE]: 'one-1',
      });
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(inside).toEqual({
        correlationId: 'one-1',
        log: {
          correlation_id: 'one-1',
          trace_id: producer.traceId,
          span_id: span.spanContext().spanId,
        },
      });
      expect(currentCorrelationId()).toBeUndefined();
      expect(trace.getActiveSpan()).toBeUndefined();
    });

    it('starts a new trace and a fresh correlation id for a message without headers', async () => {
      const seen = await runInConsumerSpan(
        { topic: 'bare', messages: [{}], name: 'ingest bare' },
        () => currentCorrelationId(),
      );
      const span = consumerSpan();
      expect(span.name).toBe('ingest bare');
      expect(span.parentSpanContext).toBeUndefined();
      expect(sanitizeCorrelationId(seen)).toBe(seen);
      expect(span.attributes[CORRELATION_ID_ATTRIBUTE]).toBe(seen);
    });

    it('records a throw on the span, ends it and rethrows', async () => {
      const { headers } = produced('fails-1');
      const failure = new Error('row rejected');
      await expect(
        runInConsumerSpan({ topic: 'orders', messages: [{ headers }] }, async () => {
          await Promise.resolve();
          throw failure;
        }),
      ).rejects.toBe(failure);

      const span = consumerSpan();
      expect(span.ended).toBe(true);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'row rejected' });
      expect(span.events.map((event) => event.name)).toEqual(['exception']);
      expect(span.events[0].attributes).toMatchObject({
        'exception.type': 'Error',
        'exception.message': 'row rejected',
      });
    });

    it('also handles a synchronous fn and a thrown non-Error', async () => {
      await expect(runInConsumerSpan({ topic: 't', messages: [{}] }, () => 7)).resolves.toBe(7);
      exporter.reset();
      await expect(
        runInConsumerSpan({ topic: 't', messages: [{}] }, () => {
          throw 'plain string';
        }),
      ).rejects.toBe('plain string');
      expect(consumerSpan().status).toEqual({
        code: SpanStatusCode.ERROR,
        message: 'plain string',
      });
    });
  });

  describe('a batch', () => {
    it('starts one root CONSUMER span linked to each distinct producer span', async () => {
      const a = produced('batch-a', 'publish a');
      const b = produced('batch-b', 'publish b');
      const c = produced('batch-a', 'publish c');
      const messages = [a, b, c, a].map(({ headers }, i) => ({
        headers,
        partition: 0,
        offset: `${i}`,
      }));

      const seen = await runInConsumerSpan({ topic: 'orders', messages }, () =>
        currentCorrelationId(),
      );

      const span = consumerSpan();
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(a.producer.traceId);
      expect(span.links.map((link) => link.context.spanId)).toEqual(
        [a, b, c].map(({ producer }) => producer.spanId),
      );
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': 'orders',
        'messaging.batch.message_count': 4,
        'messaging.destination.partition.id': '0',
        [CORRELATION_ID_ATTRIBUTE]: 'batch-a',
        [CORRELATION_IDS_ATTRIBUTE]: ['batch-a', 'batch-b'],
      });
      expect(span.attributes).not.toHaveProperty('messaging.kafka.offset');
      expect(seen).toBe('batch-a');
    });

    it('takes the first message that has a correlation id, and caps the listed ids', async () => {
      const ids = Array.from({ length: MAX_BATCH_CORRELATION_IDS + 5 }, (_, i) => `id-${i}`);
      const messages = [{ headers: {} as MessageHeaders }, ...ids.map((id) => produced(id))];
      exporter.reset();

      const seen = await runInConsumerSpan({ topic: 'many', messages }, () =>
        currentCorrelationId(),
      );

      const span = consumerSpan();
      expect(seen).toBe('id-0');
      expect(span.attributes[CORRELATION_IDS_ATTRIBUTE]).toEqual(
        ids.slice(0, MAX_BATCH_CORRELATION_IDS),
      );
      expect(span.links).toHaveLength(ids.length);
      expect(span.attributes['messaging.batch.message_count']).toBe(ids.length + 1);
    });

    it('leaves the partition out when a batch spans several', async () => {
      await runInConsumerSpan(
        { topic: 'mixed', messages: [{ partition: 0 }, { partition: 1 }] },
        () => undefined,
      );
      expect(consumerSpan().attributes).not.toHaveProperty('messaging.destination.partition.id');
    });
  });
});
