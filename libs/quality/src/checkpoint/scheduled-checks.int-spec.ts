import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { createTestDatabase, tempDir, type TempDir, type TestDatabase } from '@tributary/testing';
import {
  alignCut,
  DEFAULT_VIEWS,
  demoEvents,
  realtimeMigrations,
  toEventsRtRow,
} from '@tributary/views';
import { applyWarehouseMigrations, createWarehouseClient } from '@tributary/warehouse';
import type { ClickHouseClient } from '@clickhouse/client';
import type { DataSource } from 'typeorm';
import { QualityStore } from '../store/quality-store';
import { parseSuite } from '../suite/parse-suite';
import { bundledSuites, runScheduledChecks } from './scheduled-checks';

/** The bundled real-time suite on a speed-layer-shaped events_rt (chDB), stored in Postgres. */
describe(runScheduledChecks.name, () => {
  let database: TestDatabase;
  let db: DataSource;
  let dir: TempDir;
  let client: ClickHouseClient;

  beforeAll(async () => {
    database = await createTestDatabase('dq_scheduled');
    db = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(db);
    dir = tempDir('dq-scheduled');
    client = createWarehouseClient({ kind: 'embedded', path: dir.path });
    await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));
    const now = Date.now();
    const events = demoEvents({
      count: 500,
      seed: 3,
      ingestedFrom: new Date(alignCut(new Date(now)).getTime() - 10 * 60_000),
      ingestedSpanMs: 5 * 60_000,
    });
    await client.insert({
      table: 'events_rt',
      values: events.map((e, i) => toEventsRtRow(e, { partition: 0, offset: String(i) })),
      format: 'JSONEachRow',
    });
  });

  afterAll(async () => {
    await client?.close();
    await db?.destroy();
    await database?.drop();
    dir?.remove();
  });

  it('checks each bundled suite against its table and skips a table this warehouse lacks', async () => {
    const missing = parseSuite(
      [
        'suite: lake_only',
        'table: not_here',
        'expectations:',
        '  - type: row_count',
        '    min: 1',
      ].join('\n'),
      'lake_only.yaml',
    );
    const outcomes = await runScheduledChecks({
      client,
      suites: [...bundledSuites(), missing],
      checkpoint: 'realtime-hourly',
      store: new QualityStore(db),
    });
    const byName = new Map(outcomes.map((o) => [o.suite, o]));
    const rt = byName.get('events_rt');
    expect(rt?.status).toBe('checked');
    if (rt?.status === 'checked') {
      expect(
        rt.result.results.filter((r) => r.status !== 'passed' && r.severity === 'error'),
      ).toEqual([]);
      expect(rt.result.passed).toBe(true);
    }
    expect(byName.get('lake_only')).toEqual({
      suite: 'lake_only',
      table: 'not_here',
      status: 'skipped',
      reason: 'table not_here does not exist in this warehouse',
    });
    const stored: Array<{ suite: string; checkpoint: string }> = await db.query(
      'SELECT suite, checkpoint FROM dq_runs',
    );
    expect(stored).toEqual([{ suite: 'events_rt', checkpoint: 'realtime-hourly' }]);
  });
});
