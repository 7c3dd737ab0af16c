import { context, propagation, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { runWithCorrelation } from './correlation-context';
import { extractMessageContext, injectMessageHeaders } from './message-headers';
import { CORRELATION_ID_MESSAGE_HEADER } from './names';
import { useTestTracing } from './spec-helpers';

const { exporter, tracer } = useTestTracing();

describe(injectMessageHeaders.name, () => {
  it('adds traceparent and correlation-id, keeping the caller headers and not mutating them', () => {
    const given = { 'content-type': 'application/json', schema: 'page_view@1' };
    const headers = runWithCorrelation('inject-1', () =>
      tracer.startActiveSpan('publish', { kind: SpanKind.PRODUCER }, (span) => {
        span.end();
        return { headers: injectMessageHeaders(given), span };
      }),
    );
    const { traceId, spanId } = headers.span.spanContext();
    expect(headers.headers).toEqual({
      ...given,
      traceparent: `00-${traceId}-${spanId}-01`,
      [CORRELATION_ID_MESSAGE_HEADER]: 'inject-1',
    });
    expect(given).not.toHaveProperty('traceparent');
  });

  it('adds tracestate when the span carries one', () => {
    const parent = propagation.extract(context.active(), {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=abc',
    });
    const headers = context.with(parent, () =>
      tracer.startActiveSpan('publish', (span) => {
        span.end();
        return injectMessageHeaders();
      }),
    );
    expect(headers.tracestate).toBe('vendor=abc');
    expect(String(headers.traceparent)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
  });

  it('replaces stale trace headers and keeps an explicit correlation-id', () => {
    const stale = {
      traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
      tracestate: 'stale=1',
      [CORRELATION_ID_MESSAGE_HEADER]: 'explicit',
    };
    const headers = runWithCorrelation('ambient', () =>
      tracer.startActiveSpan('republish', (span) => {
        span.end();
        return { headers: injectMessageHeaders(stale), span };
      }),
    );
    expect(headers.headers.traceparent).toContain(headers.span.spanContext().spanId);
    expect(headers.headers).not.toHaveProperty('tracestate');
    expect(headers.headers[CORRELATION_ID_MESSAGE_HEADER]).toBe('explicit');
  });

  it('adds nothing outside a span and a correlation', () => {
    const stale = { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' };
    expect(injectMessageHeaders(stale)).toEqual({});
    expect(injectMessageHeaders()).toEqual({});
  });
});

describe(extractMessageContext.name, () => {
  it('round-trips: the consumer sees the producer span and correlation id', () => {
    const sent = runWithCorrelation('round-trip-1', () =>
      tracer.startActiveSpan('publish', { kind: SpanKind.PRODUCER }, (span) => {
        span.end();
        return injectMessageHeaders({ 'content-type': 'application/json' });
      }),
    );
    // What kafkajs hands a consumer: every header value as a Buffer.
    const received = Object.fromEntries(
      Object.entries(sent).map(([key, value]) => [key, Buffer.from(String(value))]),
    );

    const extracted = extractMessageContext(received);

    const [producer] = exporter.getFinishedSpans();
    expect(extracted.correlationId).toBe('round-trip-1');
    expect(extracted.spanContext).toEqual({
      traceId: producer.spanContext().traceId,
      spanId: producer.spanContext().spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(trace.getSpanContext(extracted.context)).toEqual(extracted.spanContext);

    const child = tracer.startSpan('process', { kind: SpanKind.CONSUMER }, extracted.context);
    child.end();
    expect(exporter.getFinishedSpans()[1].parentSpanContext?.spanId).toBe(
      producer.spanContext().spanId,
    );
  });

  it('reads the first value of a repeated header', () => {
    const extracted = extractMessageContext({
      [CORRELATION_ID_MESSAGE_HEADER]: [Buffer.from('first'), Buffer.from('second')],
    });
    expect(extracted.correlationId).toBe('first');
  });

  it('drops an insane correlation id and a malformed traceparent', () => {
    const extracted = extractMessageContext({
      traceparent: 'not-a-traceparent',
      [CORRELATION_ID_MESSAGE_HEADER]: Buffer.from('bad\nid'),
    });
    expect(extracted.correlationId).toBeUndefined();
    expect(extracted.spanContext).toBeUndefined();
  });

  it('ignores the consumer loop context: extraction starts from the root', () => {
    tracer.startActiveSpan('consumer loop', (loop) => {
      const extracted = extractMessageContext(undefined);
      expect(extracted.spanContext).toBeUndefined();
      expect(trace.getSpan(extracted.context)).toBeUndefined();
      loop.end();
    });
  });
});
