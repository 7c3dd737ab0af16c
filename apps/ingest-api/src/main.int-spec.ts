import {
  freePort,
  createTestDatabase,
  localServices,
  parsePrometheusText,
  readTopic,
  type TestDatabase,
  uniqueName,
  type OtlpCollector,
  type ServiceProcess,
  SPAN_KIND_CLIENT,
  SPAN_KIND_PRODUCER,
  SPAN_KIND_SERVER,
  spanAttribute,
  spawnService,
  startOtlpCollector,
  waitFor,
} from '@tributary/testing';
import { createMetadataDataSource } from '@tributary/metadata';
import { ApiKeys, SchemaRegistry, Sources } from '@tributary/registry';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The built ingest-api as a process, as it runs in production: distributed profile against the
 * local Kafka and Postgres, traces exported over OTLP/HTTP to a collector owned by the test.
 */
const mainJs = join(__dirname, '..', 'dist', 'main.js');

function distributedEnv(): NodeJS.ProcessEnv {
  const services = localServices();
  return {
    TRIBUTARY_PROFILE: 'distributed',
    TRIBUTARY_KAFKA_BROKERS: services.kafkaBrokers.join(','),
    TRIBUTARY_POSTGRES_URL: services.postgresUrl,
    TRIBUTARY_REDIS_URL: services.redisUrl,
    TRIBUTARY_CLICKHOUSE_URL: 'http://127.0.0.1:8123',
    TRIBUTARY_HOST: '127.0.0.1',
  };
}

describe('ingest-api process', () => {
  beforeAll(() => {
    if (!existsSync(mainJs))
      throw new Error(`${mainJs} is missing: run \`npx nx build ingest-api\``);
  });

  describe('with tracing to an OTLP collector', () => {
    let collector: OtlpCollector;
    let service: ServiceProcess;
    let url: string;
    let database: TestDatabase;
    let key: string;
    const eventsTopic = uniqueName('e2e-events');

    beforeAll(async () => {
      collector = await startOtlpCollector();
      database = await createTestDatabase('ingest_e2e');
      const port = await freePort();
      service = spawnService(mainJs, {
        ...distributedEnv(),
        TRIBUTARY_POSTGRES_URL: database.url,
        TRIBUTARY_EVENTS_TOPIC: eventsTopic,
        TRIBUTARY_DLQ_TOPIC: uniqueName('e2e-dlq'),
        TRIBUTARY_INGEST_API_PORT: String(port),
        TRIBUTARY_OTLP_ENDPOINT: collector.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '100', // export spans promptly instead of every 5 s
      });
      await service.waitForLine((line) => line.event === 'service.started');
      url = `http://127.0.0.1:${port}`;
      const metadata = await createMetadataDataSource({
        url: database.url,
        poolSize: 1,
      }).initialize();
      try {
        await new Sources(metadata).create('e2e');
        key = (await new ApiKeys(metadata).create('e2e')).key;
        await new SchemaRegistry(metadata).register('order.placed', { type: 'object' });
      } finally {
        await metadata.destroy();
      }
    }, 60_000);

    afterAll(async () => {
      if (service?.child.exitCode === null) service.child.kill('SIGKILL');
      await database?.drop();
      await collector?.close();
    });

    it('follows one request by correlation id: response, span and log line agree', async () => {
      const correlationId = `e2e-${randomUUID()}`;
      const response = await fetch(`${url}/health/ready`, {
        headers: { 'x-correlation-id': correlationId },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        checks: { kafka: { status: 'up' }, postgres: { status: 'up' } },
      });
      expect(response.headers.get('x-correlation-id')).toBe(correlationId);

      const span = await waitFor(() => {
        const found = collector
          .spans()
          .find(
            (s) =>
              s.kind === SPAN_KIND_SERVER &&
              spanAttribute(s, 'tributary.correlation_id') === correlationId,
          );
        if (!found) throw new Error('server span not exported yet');
        return found;
      });
      expect(spanAttribute(span, 'url.path')).toBe('/health/ready');

      const line = await service.waitForLine(
        (l) => l.event === 'http.request' && l.correlation_id === correlationId,
      );
      expect(line).toMatchObject({ service: 'ingest-api', path: '/health/ready', status: 200 });
      expect(line.trace_id).toBe(span.traceId);
    });

    it('traces the readiness probes of its dependencies inside the request trace', async () => {
      const correlationId = `e2e-${randomUUID()}`;
      await fetch(`${url}/health/ready`, { headers: { 'x-correlation-id': correlationId } });
      await waitFor(() => {
        const server = collector
          .spans()
          .find((s) => spanAttribute(s, 'tributary.correlation_id') === correlationId);
        const sameTrace = collector.spans().filter((s) => s.traceId === server?.traceId);
        // pg's `SELECT 1` comes from the pg instrumentation, loaded after telemetry started.
        expect(sameTrace.map((s) => s.name)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^pg\./)]),
        );
      });
    });

    it('serves Prometheus text exposition at /metrics, counting the requests above', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const families = parsePrometheusText(text); // throws on a malformed exposition
      expect(families.map((f) => f.name)).toEqual(
        expect.arrayContaining([
          'tributary_process_resident_memory_bytes',
          'tributary_http_request_duration_seconds',
        ]),
      );
      expect(families.find((f) => f.name === 'tributary_http_request_duration_seconds')?.type).toBe(
        'HISTOGRAM',
      );
      const readyCount = text
        .split('\n')
        .find(
          (line) =>
            line.startsWith('tributary_http_request_duration_seconds_count{') &&
            line.includes('route="/health/ready"'),
        );
      expect(readyCount).toMatch(/status="200".* 2$/);
    });

    it("keeps each request's trace on its own records when concurrent requests share a Kafka write", async () => {
      const ids = Array.from({ length: 6 }, (_, i) => `e2e-concurrent-${i}-${randomUUID()}`);
      await Promise.all(
        ids.map((correlationId) =>
          fetch(`${url}/v1/events`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${key}`,
              'content-type': 'application/json',
              'x-correlation-id': correlationId,
            },
            body: JSON.stringify(
              Array.from({ length: 20 }, () => ({
                type: 'order.placed',
                occurred_at: '2026-11-26T10:00:00Z',
                properties: {},
              })),
            ),
          }).then((r) => expect(r.status).toBe(202)),
        ),
      );
      const records = await readTopic(eventsTopic, 120);
      /** The request's span of `kind` (and `name`), found by its correlation id. */
      const spanOf = (kind: number, correlationId: string, name?: string) =>
        collector
          .spans()
          .find(
            (s) =>
              s.kind === kind &&
              (name === undefined || s.name === name) &&
              spanAttribute(s, 'tributary.correlation_id') === correlationId,
          );
      const serverTrace = (correlationId: string) =>
        spanOf(SPAN_KIND_SERVER, correlationId)?.traceId;
      await waitFor(() => expect(ids.every((id) => serverTrace(id) !== undefined)).toBe(true));
      for (const record of records) {
        const traceId = record.headers.traceparent?.split('-')[1];
        expect(traceId).toBe(serverTrace(record.headers['correlation-id']));
      }

      // Precisely: a record points at its request's PRODUCER span `create <topic>`; the Kafka
      // writes are CLIENT spans `send <topic>`, one per write (the kafkajs instrumentation's
      // PRODUCER span per record is suppressed), linking to each carried request's span once.
      const createSpan = (correlationId: string) =>
        spanOf(SPAN_KIND_PRODUCER, correlationId, `create ${eventsTopic}`);
      await waitFor(() => expect(ids.every((id) => createSpan(id) !== undefined)).toBe(true));
      for (const record of records) {
        const create = createSpan(record.headers['correlation-id']);
        expect(record.headers.traceparent).toBe(`00-${create?.traceId}-${create?.spanId}-01`);
      }
      const writesOf = () => collector.spans().filter((s) => s.name === `send ${eventsTopic}`);
      const linked = () => writesOf().flatMap((s) => (s.links ?? []).map((link) => link.spanId));
      await waitFor(() => expect(linked()).toHaveLength(ids.length));
      expect(writesOf().every((s) => s.kind === SPAN_KIND_CLIENT)).toBe(true);
      expect(writesOf().length).toBeLessThanOrEqual(ids.length);
      expect(linked().sort()).toEqual(ids.map((id) => createSpan(id)?.spanId).sort());
    });

    it('exits 0 on SIGTERM after a graceful stop, flushing its spans', async () => {
      service.child.kill('SIGTERM');
      await expect(service.exited).resolves.toEqual({ code: 0, signal: null });
      expect(service.stdout.find((l) => l.event === 'service.stopped')).toMatchObject({
        reason: 'SIGTERM',
        outcome: 'clean',
      });
    });
  });

  describe('with invalid configuration', () => {
    it('refuses to start and names every bad key with the expected form', async () => {
      const service = spawnService(mainJs, {
        TRIBUTARY_PROFILE: 'distributed',
        TRIBUTARY_KAFKA_BROKERS: 'localhost',
        TRIBUTARY_TRACE_SAMPLE_RATIO: 'most',
        TRIBUTARY_REDIS_URL: localServices().redisUrl,
        TRIBUTARY_CLICKHOUSE_URL: 'http://127.0.0.1:8123',
      });
      await expect(service.exited).resolves.toMatchObject({ code: 1 });
      const failure = service.stderr.find((l) => l.event === 'service.boot_failed');
      expect(failure?.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^TRIBUTARY_KAFKA_BROKERS="localhost" is invalid: expected .*host:port/,
          ),
          expect.stringMatching(/^TRIBUTARY_TRACE_SAMPLE_RATIO="most" is invalid: expected /),
          expect.stringMatching(/^TRIBUTARY_POSTGRES_URL is required in the distributed profile/),
        ]),
      );
      expect(service.stdout.find((l) => l.event === 'service.started')).toBeUndefined();
    });

    it('refuses a port that is not a number, naming the key', async () => {
      const service = spawnService(mainJs, { TRIBUTARY_INGEST_API_PORT: 'http' });
      await expect(service.exited).resolves.toMatchObject({ code: 1 });
      expect(service.stderr.find((l) => l.event === 'service.boot_failed')?.reason).toBe(
        'TRIBUTARY_INGEST_API_PORT="http" is invalid: expected a TCP port, an integer from 0 to 65535',
      );
    });
  });
});
