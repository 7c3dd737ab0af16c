import {
  formatApiKey,
  generateKeyId,
  generateSecret,
  isKeyId,
  parseApiKey,
} from './api-key-format';

describe(parseApiKey.name, () => {
  const keyId = 'abcdefgh2345';
  const secret = 'A_b-C'.padEnd(43, 'x');

  it('splits a key into its id and its secret, even when the secret contains "_"', () => {
    expect(parseApiKey(`trb_${keyId}_${secret}`)).toEqual({ keyId, secret });
    expect(parseApiKey(`trb_${keyId}__${'y'.repeat(42)}`)).toEqual({
      keyId,
      secret: `_${'y'.repeat(42)}`,
    });
  });

  it('reads back what formatApiKey wrote', () => {
    const parts = { keyId: generateKeyId(), secret: generateSecret() };
    expect(parseApiKey(formatApiKey(parts))).toEqual(parts);
  });

  it.each([
    ['an empty string', ''],
    ['a bearer prefix', `Bearer trb_${keyId}_${secret}`],
    ['another prefix', `trx_${keyId}_${secret}`],
    ['an upper-case key id', `trb_${keyId.toUpperCase()}_${secret}`],
    ['a short key id', `trb_abc_${secret}`],
    ['a short secret', `trb_${keyId}_${'x'.repeat(42)}`],
    ['a secret with padding', `trb_${keyId}_${secret}=`],
    ['trailing whitespace', `trb_${keyId}_${secret} `],
    ['a huge secret', `trb_${keyId}_${'x'.repeat(10_000)}`],
  ])('refuses %s', (_label, presented) => {
    expect(parseApiKey(presented)).toBeUndefined();
  });
});

describe(generateKeyId.name, () => {
  it('makes 12 characters of lower-case base32, different each time', () => {
    const ids = new Set(Array.from({ length: 200 }, generateKeyId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(isKeyId(id)).toBe(true);
  });
});

describe(generateSecret.name, () => {
  it('encodes 32 random bytes in base64url without padding', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });
});
