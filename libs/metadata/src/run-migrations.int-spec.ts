import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import type { DataSource } from 'typeorm';
import { createMetadataDataSource } from './metadata-data-source';
import { metadataMigrations } from './migrations';
import { migrateMetadata } from './run-migrations';

describe(migrateMetadata.name, () => {
  let database: TestDatabase;
  let first: DataSource;
  let second: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('migrate');
    // A pool of one: the migrations must run on the connection that holds the lock.
    first = await createMetadataDataSource({ url: database.url, poolSize: 1 }).initialize();
    second = await createMetadataDataSource({ url: database.url, poolSize: 1 }).initialize();
  });

  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
    await database?.drop();
  });

  describe('from two processes at once', () => {
    it('applies every migration exactly once, then nothing', async () => {
      const [a, b] = await Promise.all([migrateMetadata(first), migrateMetadata(second)]);
      const applied = [...a, ...b].map((m) => m.name);
      expect(applied.sort()).toEqual(metadataMigrations.map((m) => m.name).sort());
      expect(await migrateMetadata(first)).toEqual([]);
      expect(await first.showMigrations()).toBe(false);
    });
  });
});
