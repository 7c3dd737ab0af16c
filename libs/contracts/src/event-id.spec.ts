import { deriveEventId, isUuid, uuidV5 } from './event-id';

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
