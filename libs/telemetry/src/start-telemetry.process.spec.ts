import {
  type OtlpCollector,
  type OtlpExport,
  type OtlpSpan,
  SPAN_KIND_SERVER,
  spanAttribute as attribute,
  startOtlpCollector,
} from '@tributary/testing';
import { join } from 'node:path';
import { runTypeScript } from './spec-process';

interface FixtureResponse {
  status: number;
  correlationId?: string;
  body: string;
}

/**
 * Runs fixtures/traced-app.ts — a Nest service whose main.ts imports its instrument file first —
 * as its own Node process against a fake OTLP collector, and checks what reaches the collector.
 */
describe('startTelemetry in a real Node process', () => {
  let collector: OtlpCollector;
  let received: OtlpExport[];
  let responses: Record<'live' | 'metrics' | 'things', FixtureResponse>;
  let spans: OtlpSpan[];

  beforeAll(async () => {
    collector = await startOtlpCollector();
    received = collector.exports;

    const result = await runTypeScript(join(__dirname, 'fixtures', 'traced-app.ts'), {
      FIXTURE_OTLP_ENDPOINT: `${collector.endpoint}/`,
    });
    if (result.code !== 0) throw new Error(`fixture failed (${result.code}):\n${result.stderr}`);
    responses = JSON.parse(result.stdout) as typeof responses;
    spans = collector.spans();
  }, 30_000);

  afterAll(async () => {
    await collector?.close();
  });

  const serverSpans = () => spans.filter((span) => span.kind === SPAN_KIND_SERVER);

  it('POSTs OTLP JSON to <endpoint>/v1/traces, flushed by shutdown() (called three times)', () => {
    expect(received.length).toBeGreaterThan(0);
    for (const request of received) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/v1/traces');
      expect(request.headers['content-type']).toBe('application/json');
    }
  });

  it('labels the resource with service name, version and environment', () => {
    const attributes = received[0].body.resourceSpans[0].resource.attributes;
    expect(attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'traced-app' } },
        { key: 'service.version', value: { stringValue: '9.9.9' } },
        { key: 'deployment.environment', value: { stringValue: 'fixture' } },
      ]),
    );
  });

  it('traces requests through http, express and Nest auto-instrumentation', () => {
    expect(responses.things.status).toBe(200);
    const scopes = new Set(
      received.flatMap((request) =>
        request.body.resourceSpans.flatMap((r) => r.scopeSpans.map((s) => s.scope.name)),
      ),
    );
    expect([...scopes]).toEqual(
      expect.arrayContaining([
        '@opentelemetry/instrumentation-http',
        '@opentelemetry/instrumentation-express',
        '@opentelemetry/instrumentation-nestjs-core',
      ]),
    );
  });

  it('does not trace liveness probes or metric scrapes', () => {
    expect(responses.live.status).toBe(200);
    expect(responses.metrics.status).toBe(200);
    const targets = serverSpans().map((span) => attribute(span, 'url.path'));
    expect(targets).toEqual(['/v1/things']);
  });

  it('continues the incoming traceparent and tags the server span with the correlation id', () => {
    const server = serverSpans().find((span) => attribute(span, 'url.path') === '/v1/things');
    if (!server) throw new Error('no server span for /v1/things');
    expect(server.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(server.parentSpanId).toBe('b7ad6b7169203331');
    expect(attribute(server, 'tributary.correlation_id')).toBe('fixture-corr-1');
    expect(responses.things.correlationId).toBe('fixture-corr-1');
  });

  it("gives the handler's log context the request's correlation and trace ids", () => {
    const logContext = JSON.parse(responses.things.body) as Record<string, string>;
    expect(logContext).toMatchObject({
      correlation_id: 'fixture-corr-1',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
    });
    expect(spans.map((span) => span.spanId)).toContain(logContext.span_id);
  });

  it("does not trace the exporter's own requests to the collector", () => {
    const clientTargets = spans.map((span) => attribute(span, 'url.full') ?? '');
    expect(clientTargets.filter((url) => url.includes('/v1/traces'))).toEqual([]);
  });
});
