import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { type IngestFixture, startIngestFixture } from './ingest.fixture';

interface FuzzCase {
  body: Buffer;
  contentType: string | undefined;
  encoding: string | undefined;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');
const deep = fc
  .integer({ min: 1, max: 5_000 })
  .map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`));
const eventish = fc.record(
  {
    event_id: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
    type: fc.oneof(fc.constant('order.placed'), fc.string(), fc.constant(null)),
    schema_version: fc.oneof(fc.integer(), fc.string(), fc.double()),
    occurred_at: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
      fc.integer(),
    ),
    subject_id: fc.oneof(fc.string({ maxLength: 400 }), fc.integer()),
    properties: fc.oneof(
      fc.jsonValue(),
      fc.record({ order_id: fc.string(), amount: fc.oneof(fc.double(), fc.string()) }),
    ),
  },
  { requiredKeys: [] },
);
const bodies = fc.oneof(
  fc.jsonValue().map(json),
  fc.array(eventish, { maxLength: 20 }).map(json),
  eventish.map(json),
  fc.string({ maxLength: 5_000 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
  fc
    .string({ minLength: 60_000, maxLength: 80_000 })
    .map((s) => json({ type: 'order.placed', properties: { s } })),
  deep,
  fc
    .array(eventish, { maxLength: 10 })
    .map((items) => Buffer.from(items.map((i) => JSON.stringify(i)).join('\n'))),
);
const cases: fc.Arbitrary<FuzzCase> = fc
  .record({
    body: bodies,
    contentType: fc.constantFrom(
      'application/json',
      'application/x-ndjson',
      'text/plain',
      undefined,
      'application/json; charset=latin1',
    ),
    gzip: fc.constantFrom('none', 'gzip', 'truncated', 'bogus-encoding'),
  })
  .map(({ body, contentType, gzip }) => {
    if (gzip === 'none') return { body, contentType, encoding: undefined };
    if (gzip === 'bogus-encoding') return { body, contentType, encoding: 'br' };
    const zipped = gzipSync(body);
    return {
      body: gzip === 'gzip' ? zipped : zipped.subarray(0, Math.max(1, zipped.length >> 1)),
      contentType,
      encoding: 'gzip',
    };
  });

/** Whatever arrives, the intake answers with a 4xx and a reason (or accepts), never a 5xx. */
describe('POST /v1/events under fuzzed input', () => {
  let fixture: IngestFixture;

  beforeAll(async () => {
    fixture = await startIngestFixture(
      'ingest_fuzz',
      {
        'order.placed': {
          type: 'object',
          properties: { order_id: { type: 'string' }, amount: { type: 'number' } },
        },
      },
      { TRIBUTARY_INGEST_MAX_BODY_BYTES: '64KiB', TRIBUTARY_INGEST_RATE_LIMIT: '1000000' },
    );
  }, 60_000);

  afterAll(() => fixture?.close());

  it('never answers 5xx and always says why it refused', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ body, contentType, encoding }) => {
        const headers: Record<string, string> = { authorization: `Bearer ${fixture.key}` };
        if (contentType) headers['content-type'] = contentType;
        if (encoding) headers['content-encoding'] = encoding;
        const response = await fetch(`${fixture.service.url}/v1/events`, {
          method: 'POST',
          headers,
          body,
        });
        const answer = (await response.json()) as {
          error?: { code: string; message: string };
          results?: unknown[];
        };
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400 && !answer.results) {
          expect(answer.error?.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 250, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    );
  }, 120_000);
});
