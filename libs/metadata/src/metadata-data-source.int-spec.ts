import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import type { DataSource } from 'typeorm';
import { SourceEntity } from './entities/source.entity';
import { createMetadataDataSource } from './metadata-data-source';
import { metadataMigrations } from './migrations';

describe(createMetadataDataSource.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('metadata');
    dataSource = await createMetadataDataSource({ url: database.url }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  describe('runMigrations', () => {
    it('applies every migration to an empty database, then nothing on a second run', async () => {
      const applied = await dataSource.runMigrations();
      expect(applied.map((m) => m.name)).toEqual(metadataMigrations.map((m) => m.name));
      expect(await dataSource.runMigrations()).toEqual([]);
      expect(await dataSource.showMigrations()).toBe(false);
    });
  });

  describe('repositories', () => {
    it('stores and reads a source through the migrated schema', async () => {
      const sources = dataSource.getRepository(SourceEntity);
      const saved = await sources.save(sources.create({ name: 'checkout-web' }));

      const found = await sources.findOneByOrFail({ name: 'checkout-web' });
      expect(found.id).toBe(saved.id);
      expect(found.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(found.createdAt).toBeInstanceOf(Date);
    });

    it('enforces the constraints the migration declares', async () => {
      const sources = dataSource.getRepository(SourceEntity);
      await expect(sources.insert({ name: 'checkout-web' })).rejects.toThrow(/sources_name_key/);
      await expect(sources.insert({ name: 'Not A Name!' })).rejects.toThrow(/sources_name_format/);
    });
  });
});
