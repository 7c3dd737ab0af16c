import type { DlqRecord, StoredEvent } from '@tributary/contracts';
import { createMetadataDataSource } from '@tributary/metadata';
import { startTestService, type TestService } from '@tributary/platform';
import { SchemaRegistry } from '@tributary/registry';
import { readTopic, uniqueName, waitFor } from '@tributary/testing';
import { gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { startTelemetry, type Telemetry } from '@tributary/telemetry';
import { ingestApi } from '../ingest-api.service';
import { type IngestFixture, startIngestFixture } from './ingest.fixture';

const orderV1 = {
  type: 'object',
  required: ['order_id', 'amount'],
  properties: { order_id: { type: 'string' }, amount: { type: 'number' } },
};

/** POST /v1/events against the real local Kafka and Postgres, as upstream apps use it. */
describe('POST /v1/events', () => {
  let metadata: DataSource;
  let fixture: IngestFixture;
  let telemetry: Telemetry;
  let key: string;
  let service: TestService;
  let eventsTopic: string;
  let dlqTopic: string;

  beforeAll(async () => {
    // A tracer provider (no exporter) so spans and traceparent headers exist in this process.
    telemetry = startTelemetry({
      serviceName: 'ingest-api',
      serviceVersion: 'test',
      environment: 'test',
      sampleRatio: 1,
    });
    fixture = await startIngestFixture(
      'checkout_web',
      { 'order.placed': orderV1 },
      {
        TRIBUTARY_INGEST_MAX_EVENT_BYTES: '1KiB',
        TRIBUTARY_INGEST_MAX_BODY_BYTES: '64KiB',
      },
    );
    ({ key, service, eventsTopic, dlqTopic } = fixture);
    metadata = await createMetadataDataSource({
      url: fixture.database.url,
      poolSize: 1,
    }).initialize();
  }, 60_000);

  afterAll(async () => {
    await metadata?.destroy();
    await fixture?.close();
    await telemetry?.shutdown();
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${service.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body,
    });
  const order = (extra: Record<string, unknown> = {}) => ({
    type: 'order.placed',
    occurred_at: '2026-11-26T10:00:00Z',
    subject_id: 'user-1',
    properties: { order_id: uniqueName('o'), amount: 10 },
    ...extra,
  });

  describe('a mixed batch', () => {
    it('answers 207 with an exact status per item, valid ones on the topic, the rest on the DLQ', async () => {
      const batch = [
        order(),
        order({ properties: { order_id: 'o-2', amount: 'ten' } }),
        { ...order(), type: 'page.viewed' },
        { type: 'order.placed', properties: { order_id: 'o-4', amount: 1 } },
        order({ occurred_at: '26/11/2026 10:00' }),
        order({ properties: { order_id: 'o-6', amount: 1, note: 'x'.repeat(2000) } }),
        order({ subject_id: undefined }),
      ];
      const response = await post(JSON.stringify(batch), { 'x-correlation-id': 'mixed-batch-1' });
      expect(response.status).toBe(207);
      const answer = (await response.json()) as {
        accepted: number;
        rejected: number;
        results: Array<{
          index: number;
          event_id: string;
          status: string;
          errors?: Array<{ code: string; pointer: string }>;
        }>;
      };
      expect(answer).toMatchObject({ accepted: 2, rejected: 5, correlation_id: 'mixed-batch-1' });
      expect(
        answer.results.map((r) => [r.index, r.status, r.errors?.[0].code, r.errors?.[0].pointer]),
      ).toEqual([
        [0, 'accepted', undefined, undefined],
        [1, 'rejected', 'schema_violation', '/properties/amount'],
        [2, 'rejected', 'unknown_type', '/type'],
        [3, 'rejected', 'missing_field', '/occurred_at'],
        [4, 'rejected', 'invalid_timestamp', '/occurred_at'],
        [5, 'rejected', 'event_too_large', ''],
        [6, 'accepted', undefined, undefined],
      ]);

      const events = await readTopic(eventsTopic, 2);
      const stored = events.map((m) => JSON.parse(m.value) as StoredEvent);
      expect(stored.map((e) => e.event_id).sort()).toEqual(
        [answer.results[0].event_id, answer.results[6].event_id].sort(),
      );
      const first = events[stored.findIndex((e) => e.event_id === answer.results[0].event_id)];
      expect(first.key).toBe('user-1');
      expect(first.headers).toMatchObject({
        'correlation-id': 'mixed-batch-1',
        schema: 'order.placed@1',
        'content-type': 'application/json',
      });
      expect(first.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      const withoutSubject = events.find((m) => m.key === answer.results[6].event_id);
      expect(withoutSubject).toBeDefined();
      expect(stored[0]).toMatchObject({
        _source: 'checkout-web',
        _correlation_id: 'mixed-batch-1',
        _schema_version: 1,
      });

      const dlq = (await readTopic(dlqTopic, 5)).map((m) => JSON.parse(m.value) as DlqRecord);
      expect(dlq.map((r) => [r.index, r.reason]).sort()).toEqual([
        [1, 'schema_violation'],
        [2, 'unknown_type'],
        [3, 'missing_field'],
        [4, 'invalid_timestamp'],
        [5, 'event_too_large'],
      ]);
      const invalid = dlq.find((r) => r.index === 1);
      expect(JSON.parse(invalid?.original ?? '')).toEqual(batch[1]);
      expect(invalid).toMatchObject({ source: 'checkout-web', correlation_id: 'mixed-batch-1' });
    });
  });

  describe('idempotency', () => {
    it('gives a request retried with the same Idempotency-Key the same event ids', async () => {
      const body = JSON.stringify([
        order({ subject_id: 'user-9' }),
        order({ subject_id: 'user-9' }),
      ]);
      const idempotencyKey = uniqueName('retry');
      const ids = async () => {
        const response = await post(body, { 'idempotency-key': idempotencyKey });
        expect(response.status).toBe(202);
        return ((await response.json()) as { results: Array<{ event_id: string }> }).results.map(
          (r) => r.event_id,
        );
      };
      const first = await ids();
      expect(await ids()).toEqual(first);
      expect(new Set(first).size).toBe(2);
    });
  });

  describe('formats', () => {
    it('takes gzip-encoded NDJSON, refusing only the bad line', async () => {
      const ndjson = `${JSON.stringify(order())}\n{"type": broken\n${JSON.stringify(order())}\n`;
      const response = await post(gzipSync(ndjson), {
        'content-type': 'application/x-ndjson',
        'content-encoding': 'gzip',
      });
      expect(response.status).toBe(207);
      const answer = (await response.json()) as {
        results: Array<{ status: string; errors?: Array<{ code: string }> }>;
      };
      expect(answer.results.map((r) => r.errors?.[0].code ?? r.status)).toEqual([
        'accepted',
        'invalid_json',
        'accepted',
      ]);
    });

    it('answers 202 for one accepted event and 400 when none is', async () => {
      expect((await post(JSON.stringify(order()))).status).toBe(202);
      expect((await post(JSON.stringify({ type: 'order.placed' }))).status).toBe(400);
    });
  });

  describe('refusals of the whole request', () => {
    it.each([
      ['no key', { authorization: '' }, '{}', 401, 'unauthorized'],
      [
        'an unknown key',
        { authorization: 'Bearer trb_AAAAAAAAAAAA_nope' },
        '{}',
        401,
        'unauthorized',
      ],
      [
        'an unsupported content type',
        { 'content-type': 'text/csv' },
        'a,b',
        415,
        'unsupported_media_type',
      ],
      [
        'a body over the limit',
        {},
        JSON.stringify([order({ properties: { order_id: 'x'.repeat(70_000), amount: 1 } })]),
        413,
        'payload_too_large',
      ],
      [
        'truncated gzip',
        { 'content-encoding': 'gzip' },
        gzipSync(JSON.stringify(order())).subarray(0, 20),
        400,
        'invalid_body',
      ],
    ])('refuses %s with %s and a reason', async (_case, headers, body, status, code) => {
      const response = await post(body as string | Buffer, headers as Record<string, string>);
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
    });
  });

  describe('schema evolution', () => {
    it('refuses an incompatible version with reasons, takes a compatible one, keeps the old one valid', async () => {
      const registry = new SchemaRegistry(metadata);
      await expect(
        registry.register('order.placed', {
          type: 'object',
          required: ['order_id', 'amount', 'channel'],
          properties: {
            order_id: { type: 'string' },
            amount: { type: 'integer' },
            channel: { type: 'string' },
          },
        }),
      ).rejects.toMatchObject({
        reasons: expect.arrayContaining([
          expect.stringContaining('/properties/channel'),
          expect.stringContaining('/properties/amount'),
        ]),
      });

      const v2 = await registry.register('order.placed', {
        ...orderV1,
        required: [...orderV1.required, 'currency'],
        properties: { ...orderV1.properties, currency: { type: 'string', default: 'EUR' } },
      });
      expect(v2).toBe(2);

      await waitFor(async () => {
        const response = await post(
          JSON.stringify([order({ schema_version: 1 }), order({ schema_version: 2 }), order()]),
        );
        const answer = (await response.json()) as { results: Array<{ status: string }> };
        expect(response.status).toBe(202);
        expect(answer.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
      });
      const refused = await post(
        JSON.stringify(
          order({ schema_version: 2, properties: { order_id: 'o', amount: 1, currency: 7 } }),
        ),
      );
      expect(
        ((await refused.json()) as { results: Array<{ errors: Array<{ pointer: string }> }> })
          .results[0].errors[0].pointer,
      ).toBe('/properties/currency');
    });
  });

  describe('rate limits', () => {
    it('answers 429 with Retry-After and RateLimit headers once a source exceeds its rate', async () => {
      const limited = await startTestService(ingestApi, {
        ...fixture.env,
        TRIBUTARY_INGEST_RATE_LIMIT: '5',
      });
      try {
        const send = () =>
          fetch(`${limited.url}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(Array.from({ length: 8 }, () => order())),
          });
        const first = await send();
        expect(first.status).toBe(202);
        expect(first.headers.get('ratelimit-remaining')).toBe('2');
        const second = await send();
        expect(second.status).toBe(429);
        expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(second.headers.get('ratelimit-limit')).toBe('10');
        expect(await second.json()).toMatchObject({ error: { code: 'rate_limited' } });
      } finally {
        await limited.stop('test finished');
      }
    });
  });

  describe('docs', () => {
    it('serves the OpenAPI document and Swagger UI', async () => {
      const openapi = (await (await fetch(`${service.url}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(openapi.paths)).toEqual(['/v1/events']);
      expect((await fetch(`${service.url}/docs`)).status).toBe(200);
    });
  });
});
