import { deriveEventId, deriveRowEventId, isUuid, uuidV5 } from './event-id';

describe(uuidV5.name, () => {
  it('matches the RFC 9562 test vector (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe(deriveEventId.name, () => {
  it('gives a retried request the same ids, position by position', () => {
    const first = [0, 1, 2].map((i) => deriveEventId('checkout-web', 'req-42', i));
    const retry = [0, 1, 2].map((i) => deriveEventId('checkout-web', 'req-42', i));
    expect(retry).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const id of first) expect(isUuid(id)).toBe(true);
  });

  it('keeps sources and keys apart', () => {
    expect(deriveEventId('a', 'k', 0)).not.toBe(deriveEventId('b', 'k', 0));
    expect(deriveEventId('a', 'k', 0)).not.toBe(deriveEventId('a', 'k2', 0));
  });

  it('falls back to a random id without an Idempotency-Key', () => {
    expect(deriveEventId('a', undefined, 0)).not.toBe(deriveEventId('a', undefined, 0));
  });
});

describe(deriveRowEventId.name, () => {
  it('gives a row version the same id on every run', () => {
    const id = deriveRowEventId('orders-db', 'public.orders', ['42'], '2026-11-26 10:00:00+00');
    expect(deriveRowEventId('orders-db', 'public.orders', ['42'], '2026-11-26 10:00:00+00')).toBe(
      id,
    );
    expect(isUuid(id)).toBe(true);
  });

  it('tells apart versions, keys, tables and sources', () => {
    const base = ['orders-db', 'public.orders', ['42'], 'v1'] as const;
    const id = deriveRowEventId(...base);
    expect(deriveRowEventId('orders-db', 'public.orders', ['42'], 'v2')).not.toBe(id);
    expect(deriveRowEventId('orders-db', 'public.orders', ['43'], 'v1')).not.toBe(id);
    expect(deriveRowEventId('orders-db', 'public.refunds', ['42'], 'v1')).not.toBe(id);
    expect(deriveRowEventId('billing-db', 'public.orders', ['42'], 'v1')).not.toBe(id);
  });

  it('cannot be fooled by separators inside values', () => {
    expect(deriveRowEventId('s', 't', ['a', 'b'], 'v')).not.toBe(
      deriveRowEventId('s', 't', ['a,b'], 'v'),
    );
    expect(deriveRowEventId('s', 't', ['a\nb'], 'v')).not.toBe(
      deriveRowEventId('s', 't\na', ['b'], 'v'),
    );
  });
});
