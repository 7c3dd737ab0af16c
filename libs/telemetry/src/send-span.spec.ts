import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MAX_BATCH_CORRELATION_IDS } from './consumer-span';
import { runWithCorrelation } from './correlation-context';
import { injectMessageHeaders } from './message-headers';
import { CORRELATION_ID_ATTRIBUTE, CORRELATION_IDS_ATTRIBUTE } from './names';
import { runInProducerSpan } from './producer-span';
import { currentPublisher, type Publisher, runInSendSpan } from './send-span';
import { useTestTracing } from './spec-helpers';

const { exporter, tracer } = useTestTracing();

/** A publish as the intake makes it: inside its own producer span and correlation id. */
function publish(correlationId: string, topic = 'events'): Promise<Publisher> {
  return runWithCorrelation(correlationId, () =>
    runInProducerSpan(topic, {}, async () => currentPublisher()),
  );
}

function sendSpans(): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
}

describe(runInProducerSpan.name, () => {
  it("runs fn in a PRODUCER span `create <topic>`, the records' creation context", async () => {
    const headers = await runWithCorrelation('create-1', () =>
      runInProducerSpan('events', { 'tributary.source': 'web' }, async () =>
        injectMessageHeaders(),
      ),
    );
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('create events');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'events',
      'messaging.operation.type': 'create',
      'messaging.operation.name': 'create',
      [CORRELATION_ID_ATTRIBUTE]: 'create-1',
      'tributary.source': 'web',
    });
    const { traceId, spanId } = span.spanContext();
    expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });
});

describe(currentPublisher.name, () => {
  it('is empty outside a span and a correlation', () => {
    expect(currentPublisher()).toEqual({ spanContext: undefined, correlationId: undefined });
  });
});

describe(runInSendSpan.name, () => {
  it('starts one root CLIENT span per write, linked to each distinct publisher span', async () => {
    const a = await publish('send-a');
    const b = await publish('send-b');
    exporter.reset();

    // Triggered from inside another request's span: that span is not the write's parent.
    const result = await tracer.startActiveSpan('unrelated request', async (ambient) => {
      try {
        return await runInSendSpan(
          { topics: ['events'], messageCount: 7, publishers: [a, b, a, {}] },
          async () => 'written',
        );
      } finally {
        ambient.end();
      }
    });

    expect(result).toBe('written');
    const [span] = sendSpans();
    expect(sendSpans()).toHaveLength(1);
    expect(span.name).toBe('send events');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links.map((link) => link.context)).toEqual([a.spanContext, b.spanContext]);
    expect(span.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': 'events',
      'messaging.batch.message_count': 7,
      [CORRELATION_IDS_ATTRIBUTE]: ['send-a', 'send-b'],
    });
  });

  it('names a write to several topics `send`, without a destination', async () => {
    await runInSendSpan(
      { topics: ['events', 'dlq'], messageCount: 2, publishers: [] },
      async () => undefined,
    );
    const [span] = sendSpans();
    expect(span.name).toBe('send');
    expect(span.attributes['messaging.destination.name']).toBeUndefined();
    expect(span.attributes[CORRELATION_IDS_ATTRIBUTE]).toBeUndefined();
  });

  it('lists at most MAX_BATCH_CORRELATION_IDS correlation ids', async () => {
    const publishers = Array.from({ length: MAX_BATCH_CORRELATION_IDS + 5 }, (_, i) => ({
      correlationId: `many-${i}`,
    }));
    await runInSendSpan({ topics: ['t'], messageCount: 25, publishers }, async () => undefined);
    expect(sendSpans()[0].attributes[CORRELATION_IDS_ATTRIBUTE]).toHaveLength(
      MAX_BATCH_CORRELATION_IDS,
    );
  });

  it('suppresses tracing inside: a client library starts no span and injects no trace context', async () => {
    const inside = await runInSendSpan(
      { topics: ['t'], messageCount: 1, publishers: [] },
      async () => {
        await Promise.resolve();
        const span = trace.getTracer('client-library').startSpan('send t');
        span.end();
        return { recording: span.isRecording(), headers: injectMessageHeaders() };
      },
    );
    expect(inside).toEqual({ recording: false, headers: {} });
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['send t']);
    expect(sendSpans()).toHaveLength(1);
  });

  it('records a failed write on the span and rethrows', async () => {
    const failure = new Error('broker gone');
    await expect(
      runInSendSpan({ topics: ['t'], messageCount: 1, publishers: [] }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(sendSpans()[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'broker gone' });
  });
});
