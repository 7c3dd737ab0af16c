import { DEFAULT_SCRYPT_PARAMS, hashSecret, verifySecret } from './secret-hash';

// Cheap parameters keep the spec fast; the defaults are exercised once.
const fast = { logCost: 4, blockSize: 8, parallelization: 1 };

describe(hashSecret.name, () => {
  it('writes a PHC string with the parameters, a salt and the hash, never the secret', async () => {
    const stored = await hashSecret('s3cret-value', DEFAULT_SCRYPT_PARAMS);
    expect(stored).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(stored).not.toContain('s3cret-value');
  });

  it('salts each hash, so the same secret never hashes the same twice', async () => {
    expect(await hashSecret('same', fast)).not.toBe(await hashSecret('same', fast));
  });
});

describe(verifySecret.name, () => {
  it('accepts the secret that was hashed and refuses any other', async () => {
    const stored = await hashSecret('right', fast);
    expect(await verifySecret('right', stored)).toBe(true);
    expect(await verifySecret('wrong', stored)).toBe(false);
    expect(await verifySecret('', stored)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, not the current defaults', async () => {
    const stored = await hashSecret('old key', { logCost: 5, blockSize: 4, parallelization: 2 });
    expect(await verifySecret('old key', stored)).toBe(true);
  });

  it('never matches a malformed hash or one with absurd cost parameters', async () => {
    const stored = await hashSecret('x', fast);
    expect(await verifySecret('x', 'x')).toBe(false);
    expect(await verifySecret('x', stored.replace('ln=4', 'ln=30'))).toBe(false);
    expect(await verifySecret('x', stored.replace(/\$[^$]+$/, '$AAAA'))).toBe(false);
  });
});
