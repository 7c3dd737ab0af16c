import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { createTestDatabase, type TestDatabase, waitFor } from '@tributary/testing';
import type { DataSource } from 'typeorm';
import { RegistryError, RegistryErrorCode } from '../registry-error';
import { SchemaRegistry } from './schema-registry';

const v1 = {
  type: 'object',
  properties: {
    amount: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
  },
  required: ['amount', 'currency'],
};

/** Compatible: an optional field, a new required one with a default, a widened enum. */
const v2 = {
  type: 'object',
  properties: {
    amount: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
    coupon: { type: 'string', maxLength: 32 },
    channel: { type: 'string', default: 'web' },
  },
  required: ['amount', 'currency', 'channel'],
};

/** Incompatible with v2 in four ways. */
const v3 = {
  type: 'object',
  properties: {
    amount: { type: 'integer', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    coupon: { type: 'string', maxLength: 16 },
    channel: { type: 'string', default: 'web' },
    customer: { type: 'string' },
  },
  required: ['amount', 'currency', 'channel', 'customer'],
};

async function refusal(promise: Promise<unknown>): Promise<RegistryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RegistryError))
    throw new Error(`expected a RegistryError, got ${String(error)}`);
  return error;
}

describe(SchemaRegistry.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let registry: SchemaRegistry;

  beforeAll(async () => {
    database = await createTestDatabase('schema_registry');
    dataSource = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(dataSource);
    registry = new SchemaRegistry(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  describe('register', () => {
    it('numbers the first schema of a type 1', async () => {
      expect(
        await registry.register('order.placed', v1, { description: 'An order was placed' }),
      ).toBe(1);
    });

    it('accepts a backward-compatible schema as the next version', async () => {
      expect(await registry.register('order.placed', v2)).toBe(2);
    });

    it('refuses an incompatible schema, listing every reason with a pointer', async () => {
      const error = await refusal(registry.register('order.placed', v3));
      expect(error.code).toBe(RegistryErrorCode.INCOMPATIBLE_SCHEMA);
      expect(error.reasons).toEqual([
        '/properties/customer: "customer" is newly required and has no default; events without it were valid',
        '/properties/amount/type: type narrowed from number to integer: number no longer accepted',
        '/properties/currency/enum: value "GBP" was removed',
        '/properties/coupon/maxLength: maxLength lowered from 32 to 16',
      ]);
      expect(error.message).toMatch(
        /^Schema for order\.placed is not backward compatible with version 2 \(4 reasons\):\n {2}- /,
      );
      expect((await registry.list('order.placed')).map((v) => v.version)).toEqual([1, 2]);
    });

    it('returns the latest version again when its schema is registered again', async () => {
      expect(await registry.register('order.placed', { ...v2 })).toBe(2);
      expect((await registry.list('order.placed')).map((v) => v.version)).toEqual([1, 2]);
    });

    it('refuses an invalid schema and an invalid type name', async () => {
      const invalid = await refusal(
        registry.register('order.placed', {
          type: 'object',
          properties: { a: { type: 'nummber' } },
        }),
      );
      expect(invalid.code).toBe(RegistryErrorCode.INVALID_SCHEMA);
      expect(invalid.reasons).toContain(
        '/properties/a/type: must be equal to one of the allowed values',
      );

      const badName = await refusal(registry.register('Order Placed', v1));
      expect(badName.code).toBe(RegistryErrorCode.INVALID_NAME);
    });

    it('gives concurrent registrations of one type consecutive versions', async () => {
      const schemas = [1, 2, 3].map((n) => ({
        type: 'object',
        properties: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`field${i}`, { type: 'string' }]),
        ),
      }));
      const versions = await Promise.all(
        schemas.map((schema) => new SchemaRegistry(dataSource).register('race.won', schema)),
      );
      expect(versions.sort()).toEqual([1, 2, 3]);
    });
  });

  describe('resolve', () => {
    it('resolves the latest version when none is named', async () => {
      const latest = await registry.resolve('order.placed');
      expect(latest).toMatchObject({ type: 'order.placed', version: 2 });
      expect(latest?.validate({ amount: 5, currency: 'GBP', channel: 'app' })).toEqual([]);
    });

    it('still validates events of an older version, side by side', async () => {
      const old = await registry.resolve('order.placed', 1);
      expect(old?.version).toBe(1);
      expect(old?.validate({ amount: 5, currency: 'EUR' })).toEqual([]);
      expect(old?.validate({ amount: 5, currency: 'GBP' })).toEqual([
        { pointer: '/properties/currency', message: 'must be equal to one of the allowed values' },
      ]);
      // An event written for v1 is valid under v2: the new required field has a default.
      expect(
        (await registry.resolve('order.placed', 2))?.validate({ amount: 5, currency: 'EUR' }),
      ).toEqual([]);
    });

    it("points at each invalid property under /properties with ajv's message", async () => {
      const latest = await registry.resolve('order.placed');
      expect(latest?.validate({ amount: 'ten' })).toEqual([
        { pointer: '/properties/currency', message: "must have required property 'currency'" },
        { pointer: '/properties/amount', message: 'must be number' },
      ]);
      expect(latest?.validate(null)).toEqual([
        { pointer: '/properties', message: 'must be object' },
      ]);
    });

    it('returns undefined for an unknown type or version', async () => {
      expect(await registry.resolve('order.unknown')).toBeUndefined();
      expect(await registry.resolve('order.placed', 9)).toBeUndefined();
      expect(await registry.resolve('order.placed', 0)).toBeUndefined();
      expect(await registry.resolve('order.placed', 1.5)).toBeUndefined();
      expect(await registry.resolve('Not a type')).toBeUndefined();
    });

    it('hands out the same compiled validator for the same version', async () => {
      expect(await registry.resolve('order.placed', 1)).toBe(
        await registry.resolve('order.placed', 1),
      );
    });
  });

  describe('across processes', () => {
    let other: DataSource;

    beforeAll(async () => {
      other = await createMetadataDataSource({ url: database.url }).initialize();
    });

    afterAll(async () => {
      await other?.destroy();
    });

    it('sees a version registered by another process within about a second', async () => {
      const reader = new SchemaRegistry(other, { pollIntervalMs: 500 });
      const writer = new SchemaRegistry(dataSource);
      await writer.register('cart.updated', {
        type: 'object',
        properties: { n: { type: 'number' } },
      });
      expect((await reader.resolve('cart.updated'))?.version).toBe(1);
      expect(await reader.resolve('cart.updated', 2)).toBeUndefined();

      await writer.register('cart.updated', {
        type: 'object',
        properties: { n: { type: 'number' }, note: { type: 'string' } },
      });
      const registeredAt = performance.now();
      await waitFor(
        async () => {
          expect((await reader.resolve('cart.updated'))?.version).toBe(2);
          expect((await reader.resolve('cart.updated', 2))?.version).toBe(2);
        },
        { timeoutMs: 3_000, intervalMs: 20 },
      );
      expect(performance.now() - registeredAt).toBeLessThan(1_200);
    });

    it('forgets that a type was unknown once another process registers it', async () => {
      const reader = new SchemaRegistry(other, { pollIntervalMs: 100 });
      expect(await reader.resolve('user.signed_up')).toBeUndefined();
      await new SchemaRegistry(dataSource).register('user.signed_up', { type: 'object' });
      await waitFor(async () => expect((await reader.resolve('user.signed_up'))?.version).toBe(1), {
        timeoutMs: 3_000,
        intervalMs: 20,
      });
    });

    it('keeps validating cached schemas while Postgres is unreachable', async () => {
      const lonely = await createMetadataDataSource({ url: database.url }).initialize();
      const reader = new SchemaRegistry(lonely, { pollIntervalMs: 0 });
      expect((await reader.resolve('order.placed', 1))?.version).toBe(1);
      await lonely.destroy();
      expect(
        (await reader.resolve('order.placed', 1))?.validate({ amount: 1, currency: 'EUR' }),
      ).toEqual([]);
      await expect(reader.resolve('order.placed', 2)).rejects.toThrow();
    });
  });

  describe('list', () => {
    it("lists versions by type and number, with the type's description", async () => {
      expect(await registry.list('order.placed')).toEqual([
        {
          type: 'order.placed',
          version: 1,
          description: 'An order was placed',
          createdAt: expect.any(Date),
        },
        {
          type: 'order.placed',
          version: 2,
          description: 'An order was placed',
          createdAt: expect.any(Date),
        },
      ]);
      expect((await registry.list()).map((v) => `${v.type}@${v.version}`)).toEqual([
        'cart.updated@1',
        'cart.updated@2',
        'order.placed@1',
        'order.placed@2',
        'race.won@1',
        'race.won@2',
        'race.won@3',
        'user.signed_up@1',
      ]);
      expect(await registry.list('nothing.here')).toEqual([]);
    });

    it('replaces the description when a registration gives one', async () => {
      await registry.register('order.placed', v2, { description: 'Checkout completed' });
      expect((await registry.list('order.placed'))[0].description).toBe('Checkout completed');
    });
  });
});
