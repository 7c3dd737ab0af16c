import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import type { DataSource } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { EventTypeEntity } from './entities/event-type.entity';
import { SchemaVersionEntity } from './entities/schema-version.entity';
import { SourceEntity } from './entities/source.entity';
import { createMetadataDataSource } from './metadata-data-source';
import { isEventTypeName, isSourceName } from './names';
import { REGISTRY_REVISION_QUERY } from './registry-revision';
import { migrateMetadata } from './run-migrations';

const hash = '$scrypt$ln=14,r=8,p=1$c2FsdA$aGFzaA';

describe('registry tables', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sourceId: string;

  beforeAll(async () => {
    database = await createTestDatabase('registry_tables');
    dataSource = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(dataSource);
    const sources = dataSource.getRepository(SourceEntity);
    sourceId = (await sources.save(sources.create({ name: 'checkout-web' }))).id;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function acceptedByDatabase(insert: () => Promise<unknown>): Promise<boolean> {
    return insert().then(
      () => true,
      () => false,
    );
  }

  describe(ApiKeyEntity.name, () => {
    it('stores a key with its source, hash and timestamps', async () => {
      const keys = dataSource.getRepository(ApiKeyEntity);
      await keys.insert({ sourceId, keyId: 'abcdefgh2345', hash, label: 'ci' });

      const found = await keys.findOneOrFail({
        where: { keyId: 'abcdefgh2345' },
        relations: { source: true },
      });
      expect(found).toMatchObject({ sourceId, hash, label: 'ci', revokedAt: null });
      expect(found.source?.name).toBe('checkout-web');
      expect(found.createdAt).toBeInstanceOf(Date);
    });

    it('enforces a unique, well-formed key id, a known source and a scrypt hash', async () => {
      const keys = dataSource.getRepository(ApiKeyEntity);
      const key = { sourceId, keyId: 'zzzzzzzzzzzz', hash };
      await expect(keys.insert({ ...key, keyId: 'abcdefgh2345' })).rejects.toThrow(
        /api_keys_key_id_key/,
      );
      await expect(keys.insert({ ...key, keyId: 'ABCDEFGH2345' })).rejects.toThrow(
        /api_keys_key_id_format/,
      );
      await expect(keys.insert({ ...key, hash: 'plaintext' })).rejects.toThrow(
        /api_keys_hash_format/,
      );
      await expect(
        keys.insert({ ...key, sourceId: '00000000-0000-4000-8000-000000000000' }),
      ).rejects.toThrow(/api_keys_source_fk/);
    });
  });

  describe(EventTypeEntity.name, () => {
    it('accepts exactly the names isEventTypeName accepts', async () => {
      const types = dataSource.getRepository(EventTypeEntity);
      const names = [
        'order.placed',
        'cart.item_added',
        'Order',
        'order.',
        '1x',
        `a${'.b'.repeat(64)}`,
      ];
      const accepted: string[] = [];
      for (const name of names) {
        if (await acceptedByDatabase(() => types.insert({ name }))) accepted.push(name);
      }
      expect(accepted).toEqual(names.filter(isEventTypeName));
      await expect(types.insert({ name: 'order.placed' })).rejects.toThrow(/event_types_name_key/);
    });
  });

  describe(SourceEntity.name, () => {
    it('accepts exactly the names isSourceName accepts', async () => {
      const sources = dataSource.getRepository(SourceEntity);
      const names = ['billing.v2', 'a_b-c', 'Billing', '-x', 'a'.repeat(64)];
      const accepted: string[] = [];
      for (const name of names) {
        if (await acceptedByDatabase(() => sources.insert({ name }))) accepted.push(name);
      }
      expect(accepted).toEqual(names.filter(isSourceName));
    });
  });

  describe(SchemaVersionEntity.name, () => {
    let eventTypeId: string;

    beforeAll(async () => {
      const types = dataSource.getRepository(EventTypeEntity);
      eventTypeId = (await types.save(types.create({ name: 'payment.captured' }))).id;
    });

    it('numbers versions from 1, once per type, and keeps the schema as JSON', async () => {
      const versions = dataSource.getRepository(SchemaVersionEntity);
      const jsonSchema = { type: 'object', properties: { amount: { type: 'number' } } };
      const saved = await versions.save(versions.create({ eventTypeId, version: 1, jsonSchema }));
      expect(saved.id).toMatch(/^\d+$/);
      expect((await versions.findOneByOrFail({ id: saved.id })).jsonSchema).toEqual(jsonSchema);

      await expect(versions.insert({ eventTypeId, version: 1, jsonSchema })).rejects.toThrow(
        /schema_versions_type_version_key/,
      );
      await expect(versions.insert({ eventTypeId, version: 0, jsonSchema })).rejects.toThrow(
        /schema_versions_version_positive/,
      );
    });

    it('refuses to change or delete a stored version', async () => {
      const versions = dataSource.getRepository(SchemaVersionEntity);
      await expect(
        versions.update({ eventTypeId, version: 1 }, { jsonSchema: {} }),
      ).rejects.toThrow(/append-only/);
      await expect(versions.delete({ eventTypeId, version: 1 })).rejects.toThrow(/append-only/);
    });

    it('bumps the registry revision in the same transaction as each new version', async () => {
      const revision = async () =>
        BigInt(
          ((await dataSource.query(REGISTRY_REVISION_QUERY)) as [{ revision: string }])[0].revision,
        );
      const before = await revision();
      await dataSource.transaction(async (manager) => {
        await manager.insert(SchemaVersionEntity, { eventTypeId, version: 2, jsonSchema: {} });
        // Not visible to others before the commit: the counter and the version arrive together.
        expect(await revision()).toBe(before);
      });
      expect(await revision()).toBe(before + 1n);
    });
  });
});
