import type { DlqRecord, StoredEvent } from '@tributary/contracts';
import { type IntakeContext, type RawItem, type SchemaResolver, takeIn } from './event-intake';

/** A fake of our own registry port: `order.placed` v1 and v2, where amount must be a number. */
const schemas: SchemaResolver = {
  resolve: async (type, version) => {
    if (type !== 'order.placed' || (version !== undefined && version > 2)) return undefined;
    return {
      type,
      version: version ?? 2,
      validate: (properties) =>
        typeof (properties as { amount?: unknown }).amount === 'number'
          ? []
          : [{ pointer: '/properties/amount', message: 'must be number' }],
    };
  },
};

const ctx: IntakeContext = {
  source: 'checkout-web',
  correlationId: 'corr-1',
  idempotencyKey: 'req-9',
  receivedAt: new Date('2026-11-26T12:00:00Z'),
  maxEventBytes: 300,
  maxFutureSkewMs: 60_000,
};

const item = (value: unknown): RawItem => ({ text: JSON.stringify(value), value });
const order = (extra: Record<string, unknown> = {}) =>
  item({
    type: 'order.placed',
    occurred_at: '2026-11-26T11:00:00Z',
    properties: { amount: 5 },
    ...extra,
  });

describe(takeIn.name, () => {
  it('accepts a valid event and builds its record: key, headers, metadata', async () => {
    const intake = await takeIn([order({ subject_id: 'user-1' })], schemas, ctx);
    expect(intake.results).toEqual([
      { index: 0, event_id: expect.any(String), status: 'accepted' },
    ]);
    const [message] = intake.events;
    const event = JSON.parse(message.value) as StoredEvent;
    expect(message.key).toBe('user-1');
    expect(message.headers).toMatchObject({
      'correlation-id': 'corr-1',
      'content-type': 'application/json',
      schema: 'order.placed@2',
    });
    expect(event).toMatchObject({
      event_id: intake.results[0].event_id,
      occurred_at: '2026-11-26T11:00:00.000Z',
      _ingested_at: '2026-11-26T12:00:00.000Z',
      _source: 'checkout-web',
      _correlation_id: 'corr-1',
      _schema_version: 2,
      schema_version: null,
    });
    expect(intake.dlq).toEqual([]);
  });

  it('keys an event without subject by its event_id', async () => {
    const intake = await takeIn([order()], schemas, ctx);
    expect(intake.events[0].key).toBe(intake.results[0].event_id);
  });

  it('gives each kind of bad item its own status and a DLQ record with the original text', async () => {
    const items: RawItem[] = [
      order(),
      order({ properties: { amount: 'five' } }),
      item({ type: 'page.viewed', occurred_at: '2026-11-26T11:00:00Z', properties: {} }),
      item({ type: 'order.placed', properties: {} }),
      order({ occurred_at: 'soon' }),
      order({ properties: { amount: 5, note: 'x'.repeat(400) } }),
      { text: '{"type": ', parseError: 'Unexpected end of JSON input' },
      order({ schema_version: 7 }),
    ];
    const intake = await takeIn(items, schemas, ctx);
    expect(
      intake.results.map((r) => (r.status === 'accepted' ? 'accepted' : r.errors[0].code)),
    ).toEqual([
      'accepted',
      'schema_violation',
      'unknown_type',
      'missing_field',
      'invalid_timestamp',
      'event_too_large',
      'invalid_json',
      'unknown_schema_version',
    ]);
    expect(intake.events).toHaveLength(1);
    expect(intake.dlq).toHaveLength(7);
    const dlq = intake.dlq.map((m) => JSON.parse(m.value) as DlqRecord);
    expect(dlq[0]).toMatchObject({
      reason: 'schema_violation',
      errors: [
        { code: 'schema_violation', pointer: '/properties/amount', message: 'must be number' },
      ],
      original: items[1].text,
      source: 'checkout-web',
      correlation_id: 'corr-1',
      index: 1,
      idempotency_key: 'req-9',
    });
    expect(dlq[5].original).toBe('{"type": ');
    expect(intake.rejected.map((r) => r.type)).toEqual([
      'order.placed',
      'page.viewed',
      'order.placed',
      'order.placed',
      'order.placed',
      'unknown',
      'order.placed',
    ]);
  });

  it('derives the same ids for a retried request with the same Idempotency-Key', async () => {
    const first = await takeIn([order(), order()], schemas, ctx);
    const retry = await takeIn([order(), order()], schemas, ctx);
    expect(retry.results.map((r) => r.event_id)).toEqual(first.results.map((r) => r.event_id));
  });

  it('keeps the event_id the client sent', async () => {
    const id = '0b6a1f3c-9a4e-4d2b-8f41-5c2e7d9a1b3f';
    const intake = await takeIn([order({ event_id: id })], schemas, ctx);
    expect(intake.results[0].event_id).toBe(id);
  });

  it('looks each schema up once per request', async () => {
    const resolve = jest.fn(schemas.resolve);
    await takeIn([order(), order(), order()], { resolve }, ctx);
    expect(resolve).toHaveBeenCalledTimes(1);
  });
});
