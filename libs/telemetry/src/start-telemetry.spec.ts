import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NoopSpanProcessor,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { runWithCorrelation } from './correlation-context';
import { currentLogContext } from './log-context';
import { extractMessageContext, injectMessageHeaders } from './message-headers';
import {
  startTelemetry,
  type Telemetry,
  type TelemetryOptions,
  tracesUrl,
} from './start-telemetry';

// Export over OTLP/HTTP and auto-instrumentation need a real Node process: see
// start-telemetry.process.spec.ts. These specs cover what jest can observe in-process.

const base: TelemetryOptions = {
  serviceName: 'telemetry-spec',
  serviceVersion: '1.2.3',
  environment: 'test',
  sampleRatio: 1,
};

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  // Every test starts from unregistered globals, as a fresh process would.
  trace.disable();
  propagation.disable();
  context.disable();
});

/** Starts telemetry with an in-memory exporter; `finished()` waits for pending exports first. */
function startRecording(options: Partial<TelemetryOptions> = {}) {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(exporter);
  telemetry = startTelemetry({ ...base, ...options, spanProcessors: [processor] });
  return {
    tracer: trace.getTracer('spec'),
    // The detected resource has async attributes (host id): exports wait for them.
    finished: async (): Promise<ReadableSpan[]> => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    },
  };
}

describe(startTelemetry.name, () => {
  it('labels spans with service name, version and environment', async () => {
    const { tracer, finished } = startRecording();
    tracer.startSpan('work').end();

    const [span] = await finished();
    expect(span.resource.attributes).toMatchObject({
      'service.name': 'telemetry-spec',
      'service.version': '1.2.3',
      'deployment.environment': 'test',
      'deployment.environment.name': 'test',
      'telemetry.sdk.language': 'nodejs',
    });
  });

  it('registers an async context manager and the W3C propagator', async () => {
    const { tracer, finished } = startRecording();

    const headers = await runWithCorrelation('start-1', () =>
      tracer.startActiveSpan('publish', { kind: SpanKind.PRODUCER }, async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const injected = injectMessageHeaders();
        span.end();
        return injected;
      }),
    );

    const [producer] = await finished();
    expect(extractMessageContext(headers)).toMatchObject({
      correlationId: 'start-1',
      spanContext: { spanId: producer.spanContext().spanId },
    });
  });

  it('without any exporter still gives spans real ids, so logs and headers carry them', () => {
    telemetry = startTelemetry(base);
    trace.getTracer('spec').startActiveSpan('unexported', (span) => {
      expect(span.isRecording()).toBe(true);
      expect(currentLogContext()).toEqual({
        trace_id: expect.stringMatching(/^(?!0+$)[0-9a-f]{32}$/),
        span_id: expect.stringMatching(/^(?!0+$)[0-9a-f]{16}$/),
      });
      expect(injectMessageHeaders().traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      span.end();
    });
  });

  it('keeps the ids but records nothing for a trace sampled out (ratio 0)', async () => {
    const { tracer, finished } = startRecording({ sampleRatio: 0 });
    tracer.startActiveSpan('dropped', (span) => {
      expect(span.isRecording()).toBe(false);
      expect(currentLogContext().trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(injectMessageHeaders().traceparent).toMatch(/-00$/);
      span.end();
    });
    expect(await finished()).toEqual([]);
  });

  it('records a child of a sampled parent even at ratio 0 (parent-based)', async () => {
    const { tracer, finished } = startRecording({ sampleRatio: 0 });
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    tracer.startSpan('kept', {}, extractMessageContext({ traceparent: parent }).context).end();
    expect((await finished()).map((span) => span.name)).toEqual(['kept']);
  });

  it('drops a child of an unsampled parent even at ratio 1 (parent-based)', async () => {
    const { tracer, finished } = startRecording({ sampleRatio: 1 });
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    tracer.startSpan('dropped', {}, extractMessageContext({ traceparent: parent }).context).end();
    tracer.startSpan('new root').end();
    expect((await finished()).map((span) => span.name)).toEqual(['new root']);
  });

  it.each([-0.1, 1.5, Number.NaN])('rejects sampleRatio %s', (sampleRatio) => {
    expect(() => startTelemetry({ ...base, sampleRatio })).toThrow(RangeError);
  });

  it('shuts down once however often shutdown() is called', async () => {
    const processor = new NoopSpanProcessor();
    const shutdown = jest.spyOn(processor, 'shutdown');
    telemetry = startTelemetry({ ...base, spanProcessors: [processor] });

    await Promise.all([telemetry.shutdown(), telemetry.shutdown()]);
    await telemetry.shutdown();

    expect(shutdown).toHaveBeenCalledTimes(1);
  });
});

describe(tracesUrl.name, () => {
  it.each([
    ['http://jaeger:4318', 'http://jaeger:4318/v1/traces'],
    ['http://jaeger:4318/', 'http://jaeger:4318/v1/traces'],
    ['https://collector.example/otlp/', 'https://collector.example/otlp/v1/traces'],
  ])('%s → %s', (endpoint, url) => {
    expect(tracesUrl(endpoint)).toBe(url);
  });

  it.each(['', 'jaeger 4318', '//jaeger:4318'])('rejects the malformed endpoint %j', (endpoint) => {
    expect(() => tracesUrl(endpoint)).toThrow();
  });
});
