import { context, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { currentCorrelationId } from './correlation-context';
import { sanitizeCorrelationId } from './correlation-id';
import { correlationMiddleware, type CorrelationRequest } from './correlation-middleware';
import { CORRELATION_ID_ATTRIBUTE, CORRELATION_ID_HEADER } from './names';
import { useTestTracing } from './spec-helpers';

const { exporter, tracer } = useTestTracing();

/** Runs the middleware on a fake request; reports the response header and the id seen in next(). */
function run(headers: CorrelationRequest['headers']) {
  const responseHeaders = new Map<string, string>();
  let inNext: string | undefined;
  let nextCalls = 0;
  correlationMiddleware(
    { headers },
    { setHeader: (name, value) => responseHeaders.set(name.toLowerCase(), value) },
    (error?: unknown) => {
      expect(error).toBeUndefined();
      nextCalls += 1;
      inNext = currentCorrelationId();
    },
  );
  expect(nextCalls).toBe(1);
  return { echoed: responseHeaders.get(CORRELATION_ID_HEADER), inNext };
}

describe(correlationMiddleware.name, () => {
  it('echoes a sane incoming id and makes it current inside next()', () => {
    const { echoed, inNext } = run({ [CORRELATION_ID_HEADER]: 'client-req:42' });
    expect(echoed).toBe('client-req:42');
    expect(inNext).toBe('client-req:42');
  });

  it.each([
    ['too long', 'x'.repeat(129)],
    ['with a newline', 'abc\nforged log line'],
    ['with spaces', 'a b'],
    ['repeated (Node joins the values)', 'a, b'],
    ['empty', ''],
  ])('replaces an insane id (%s) with a generated one', (_label, incoming) => {
    const { echoed, inNext } = run({ [CORRELATION_ID_HEADER]: incoming });
    expect(echoed).not.toBe(incoming);
    expect(sanitizeCorrelationId(echoed)).toBe(echoed);
    expect(inNext).toBe(echoed);
  });

  it('generates an id when the header is missing', () => {
    const first = run({});
    const second = run({});
    expect(sanitizeCorrelationId(first.echoed)).toBe(first.echoed);
    expect(first.inNext).toBe(first.echoed);
    expect(second.echoed).not.toBe(first.echoed);
  });

  it('leaves no id behind once the request is handled', () => {
    run({ [CORRELATION_ID_HEADER]: 'gone-after' });
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('tags the active span when there is no HTTP server span in the context', () => {
    tracer.startActiveSpan('request', (span) => {
      run({ [CORRELATION_ID_HEADER]: 'span-tag' });
      span.end();
    });
    expect(finished('request').attributes[CORRELATION_ID_ATTRIBUTE]).toBe('span-tag');
  });

  it('tags the HTTP server span, not the express middleware span that is active', () => {
    const server = tracer.startSpan('GET /v1/things');
    const serverContext = setRPCMetadata(trace.setSpan(context.active(), server), {
      type: RPCType.HTTP,
      span: server,
    });
    context.with(serverContext, () => {
      const middleware = tracer.startSpan('middleware - correlation');
      context.with(trace.setSpan(context.active(), middleware), () => {
        expect(getRPCMetadata(context.active())?.span).toBe(server);
        run({ [CORRELATION_ID_HEADER]: 'server-span' });
      });
      middleware.end();
    });
    server.end();
    expect(finished('GET /v1/things').attributes[CORRELATION_ID_ATTRIBUTE]).toBe('server-span');
    expect(finished('middleware - correlation').attributes).not.toHaveProperty(
      CORRELATION_ID_ATTRIBUTE,
    );
  });
});

function finished(name: string): ReadableSpan {
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no finished span ${name}`);
  return span;
}
