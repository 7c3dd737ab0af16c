import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import type { DataSource } from 'typeorm';
import { RegistryErrorCode } from '../registry-error';
import { Sources } from '../sources/sources';
import { parseApiKey } from './api-key-format';
import { ApiKeys } from './api-keys';

describe(ApiKeys.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let keys: ApiKeys;
  let sourceId: string;

  /** Another process: its own pool and an empty cache. */
  const otherProcess = (options = {}) => new ApiKeys(dataSource, options);

  beforeAll(async () => {
    database = await createTestDatabase('api_keys');
    dataSource = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(dataSource);
    const sources = new Sources(dataSource);
    sourceId = (await sources.create('checkout-web')).id;
    await sources.create('billing');
    keys = new ApiKeys(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function storedRow(keyId: string) {
    const rows = (await dataSource.query('SELECT * FROM api_keys WHERE key_id = $1', [
      keyId,
    ])) as Array<Record<string, unknown>>;
    return rows[0];
  }

  describe('create', () => {
    it('returns a trb_<keyId>_<secret> key that authenticates as its source', async () => {
      const created = await keys.create('checkout-web', 'ci');
      expect(created).toEqual({
        key: expect.stringMatching(/^trb_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/),
        keyId: parseApiKey(created.key)?.keyId,
        sourceName: 'checkout-web',
        label: 'ci',
        createdAt: expect.any(Date),
      });
      expect(await otherProcess().authenticate(created.key)).toEqual({
        sourceId,
        sourceName: 'checkout-web',
        keyId: created.keyId,
      });
    });

    it('stores a salted scrypt hash, never the secret', async () => {
      const created = await keys.create('checkout-web');
      const secret = parseApiKey(created.key)?.secret as string;
      const row = await storedRow(created.keyId);
      expect(row.hash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(JSON.stringify(row)).not.toContain(
        Buffer.from(secret, 'base64url').toString('base64'),
      );
    });

    it('refuses an unknown source', async () => {
      await expect(keys.create('nobody')).rejects.toMatchObject({
        code: RegistryErrorCode.UNKNOWN_SOURCE,
      });
    });
  });

  describe('authenticate', () => {
    let key: string;

    beforeAll(async () => {
      key = (await keys.create('billing')).key;
    });

    it('refuses a wrong secret, an unknown key id and a malformed key', async () => {
      const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const unknownId = `trb_${'a'.repeat(12)}_${key.slice(-43)}`;
      const auth = otherProcess();
      expect(await auth.authenticate(wrongSecret)).toBeUndefined();
      expect(await auth.authenticate(unknownId)).toBeUndefined();
      expect(await auth.authenticate(`Bearer ${key}`)).toBeUndefined();
      expect(await auth.authenticate('')).toBeUndefined();
    });

    it('verifies concurrent requests with the same key once, then answers from memory', async () => {
      const auth = otherProcess();
      const lookups = jest.spyOn(dataSource, 'getRepository');
      const results = await Promise.all(Array.from({ length: 20 }, () => auth.authenticate(key)));
      for (let i = 0; i < 100; i++) results.push(await auth.authenticate(key));
      expect(new Set(results.map((r) => r?.sourceName))).toEqual(new Set(['billing']));
      expect(lookups).toHaveBeenCalledTimes(1); // one row lookup, one scrypt for 120 requests
      lookups.mockRestore();
    });

    it('writes last_used_at at most once a minute', async () => {
      let clock = 0;
      const auth = otherProcess({ now: () => clock });
      const { keyId } = parseApiKey(key) as { keyId: string };
      await dataSource.query('UPDATE api_keys SET last_used_at = NULL WHERE key_id = $1', [keyId]);

      await auth.authenticate(key);
      const first = (await storedRow(keyId)).last_used_at as Date;
      expect(first).toBeInstanceOf(Date);

      clock += 59_000;
      await auth.authenticate(key);
      expect((await storedRow(keyId)).last_used_at).toEqual(first);

      clock += 1_000;
      await auth.authenticate(key);
      expect(((await storedRow(keyId)).last_used_at as Date).getTime()).toBeGreaterThan(
        first.getTime(),
      );
    });

    it('throws when the database cannot answer, so callers can tell an outage from a bad key', async () => {
      const broken = await createMetadataDataSource({ url: database.url }).initialize();
      await broken.destroy();
      await expect(new ApiKeys(broken).authenticate(key)).rejects.toThrow();
    });
  });

  describe('revoke', () => {
    it('refuses the key at once in this process, and within the cache TTL in others', async () => {
      let clock = 0;
      const elsewhere = otherProcess({ now: () => clock, authCacheTtlMs: 30_000 });
      const { key, keyId } = await keys.create('checkout-web');
      expect(await keys.authenticate(key)).toBeDefined();
      expect(await elsewhere.authenticate(key)).toBeDefined();

      const revoked = await keys.revoke(keyId);
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      expect(await keys.authenticate(key)).toBeUndefined();
      expect(await otherProcess().authenticate(key)).toBeUndefined();

      clock += 29_999;
      expect(await elsewhere.authenticate(key)).toBeDefined(); // still cached: the documented lag
      clock += 1;
      expect(await elsewhere.authenticate(key)).toBeUndefined();
    });

    it('keeps the first revocation time when revoked twice', async () => {
      const { keyId } = await keys.create('checkout-web');
      const first = await keys.revoke(keyId);
      expect((await keys.revoke(keyId)).revokedAt).toEqual(first.revokedAt);
    });

    it('refuses an unknown key id', async () => {
      await expect(keys.revoke('zzzzzzzzzzzz')).rejects.toMatchObject({
        code: RegistryErrorCode.UNKNOWN_KEY,
      });
      await expect(keys.revoke('not a key id')).rejects.toMatchObject({
        code: RegistryErrorCode.UNKNOWN_KEY,
      });
    });
  });

  describe('rotate', () => {
    it('adds a key for the same source and label; both work until the old one is revoked', async () => {
      const old = await keys.create('billing', 'backend');
      const rotated = await keys.rotate(old.keyId);
      expect(rotated).toMatchObject({ sourceName: 'billing', label: 'backend' });
      expect(rotated.keyId).not.toBe(old.keyId);

      const auth = otherProcess();
      expect((await auth.authenticate(old.key))?.keyId).toBe(old.keyId);
      expect((await auth.authenticate(rotated.key))?.keyId).toBe(rotated.keyId);

      await keys.revoke(old.keyId);
      const fresh = otherProcess();
      expect(await fresh.authenticate(old.key)).toBeUndefined();
      expect((await fresh.authenticate(rotated.key))?.sourceName).toBe('billing');
    });

    it('refuses a revoked or unknown key', async () => {
      const { keyId } = await keys.create('billing');
      await keys.revoke(keyId);
      await expect(keys.rotate(keyId)).rejects.toMatchObject({
        code: RegistryErrorCode.KEY_REVOKED,
      });
      await expect(keys.rotate('zzzzzzzzzzzz')).rejects.toMatchObject({
        code: RegistryErrorCode.UNKNOWN_KEY,
      });
    });
  });

  describe('list', () => {
    it("lists a source's keys, oldest first, without secrets or hashes", async () => {
      const listed = await keys.list('checkout-web');
      expect(listed.length).toBeGreaterThanOrEqual(3);
      for (const key of listed) {
        expect(Object.keys(key).sort()).toEqual(
          ['createdAt', 'keyId', 'label', 'lastUsedAt', 'revokedAt', 'sourceName'].sort(),
        );
        expect(key.sourceName).toBe('checkout-web');
      }
      const times = listed.map((k) => k.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('refuses an unknown source', async () => {
      await expect(keys.list('nobody')).rejects.toMatchObject({
        code: RegistryErrorCode.UNKNOWN_SOURCE,
      });
    });
  });
});
