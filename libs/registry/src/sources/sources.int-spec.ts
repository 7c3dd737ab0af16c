import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import type { DataSource } from 'typeorm';
import { RegistryErrorCode } from '../registry-error';
import { Sources } from './sources';

describe(Sources.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sources: Sources;

  beforeAll(async () => {
    database = await createTestDatabase('sources');
    dataSource = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(dataSource);
    sources = new Sources(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  describe('create', () => {
    it('stores a source and returns its id and creation time', async () => {
      const created = await sources.create('checkout-web');
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'checkout-web',
        createdAt: expect.any(Date),
      });
      expect(await sources.get('checkout-web')).toEqual(created);
    });

    it('refuses a name that exists already', async () => {
      await expect(sources.create('checkout-web')).rejects.toMatchObject({
        code: RegistryErrorCode.SOURCE_EXISTS,
        message: 'Source "checkout-web" already exists',
      });
    });

    it('refuses a name the sources table would refuse, before asking the database', async () => {
      await expect(sources.create('Checkout Web')).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_NAME,
      });
      expect(await sources.get('Checkout Web')).toBeUndefined();
    });
  });

  describe('list', () => {
    it('lists every source by name', async () => {
      await sources.create('billing');
      expect((await sources.list()).map((s) => s.name)).toEqual(['billing', 'checkout-web']);
    });
  });
});
