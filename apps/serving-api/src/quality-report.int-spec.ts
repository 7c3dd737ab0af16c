import { startTestService, type TestService } from '@tributary/platform';
import { parseSuite, QualityStore, runCheckpoint, trustedTable } from '@tributary/quality';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { createTestDatabase, tempDir, type TempDir, type TestDatabase } from '@tributary/testing';
import { createWarehouseClient } from '@tributary/warehouse';
import { servingApi } from './serving-api.service';

/** GET /quality on the serving API: the data docs of the results stored in Postgres. */
describe('serving-api GET /quality', () => {
  let database: TestDatabase;
  let chdb: TempDir;
  let service: TestService | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('serving_quality');
    const db = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(db);
    chdb = tempDir('serving-quality');
    const client = createWarehouseClient({ kind: 'embedded', path: chdb.path });
    try {
      await runCheckpoint({
        client,
        suite: parseSuite(
          [
            'suite: serving_spec',
            'expectations:',
            '  - type: value_range',
            '    column: x',
            '    max: 1',
          ].join('\n'),
          'serving_spec.yaml',
        ),
        table: trustedTable('(SELECT arrayJoin([1, 2, 3]) AS x)', 'numbers'),
        checkpoint: 'publish:serving_spec',
        store: new QualityStore(db),
      });
    } finally {
      await client.close();
      await db.destroy();
    }
  });

  afterAll(async () => {
    await service?.stop('test done');
    await database?.drop();
    chdb?.remove();
  });

  it('renders the stored checkpoint runs as HTML', async () => {
    service = await startTestService(servingApi, {
      TRIBUTARY_POSTGRES_URL: database.url,
      TRIBUTARY_SERVING_AUTH: 'none',
    });
    const response = await fetch(`${service.url}/quality`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('publish:serving_spec');
    expect(html).toContain('serving_spec');
    expect(html).toMatch(/view\.events_by_type_source\.minute/); // generated view suites listed
  });
});
