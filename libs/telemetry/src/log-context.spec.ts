import { context, trace } from '@opentelemetry/api';
import { runWithCorrelation } from './correlation-context';
import { currentLogContext } from './log-context';
import { useTestTracing } from './spec-helpers';

const { tracer } = useTestTracing();

describe(currentLogContext.name, () => {
  it('is empty outside any request, message or span', () => {
    expect(currentLogContext()).toEqual({});
  });

  it("returns the active span's trace and span ids inside a span", () => {
    tracer.startActiveSpan('work', (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(currentLogContext()).toEqual({ trace_id: traceId, span_id: spanId });
      span.end();
    });
  });

  it('follows the innermost active span', () => {
    tracer.startActiveSpan('outer', (outer) => {
      tracer.startActiveSpan('inner', (inner) => {
        expect(currentLogContext()).toEqual({
          trace_id: outer.spanContext().traceId,
          span_id: inner.spanContext().spanId,
        });
        inner.end();
      });
      outer.end();
    });
  });

  it('adds the correlation id, across awaits', async () => {
    await runWithCorrelation('log-corr-1', () =>
      tracer.startActiveSpan('async work', async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        expect(currentLogContext()).toEqual({
          correlation_id: 'log-corr-1',
          trace_id: span.spanContext().traceId,
          span_id: span.spanContext().spanId,
        });
        span.end();
      }),
    );
  });

  it('has only the correlation id when no span is active', () => {
    runWithCorrelation('no-span', () => {
      expect(currentLogContext()).toEqual({ correlation_id: 'no-span' });
    });
  });

  it('leaves out an invalid span context', () => {
    const invalid = trace.wrapSpanContext({
      traceId: '0'.repeat(32),
      spanId: '0'.repeat(16),
      traceFlags: 0,
    });
    context.with(trace.setSpan(context.active(), invalid), () => {
      expect(currentLogContext()).toEqual({});
    });
  });
});
