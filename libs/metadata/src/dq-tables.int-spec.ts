import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import type { DataSource } from 'typeorm';
import { DqResultEntity } from './entities/dq-result.entity';
import { DqRunEntity } from './entities/dq-run.entity';
import { createMetadataDataSource } from './metadata-data-source';
import { migrateMetadata } from './run-migrations';

describe('data-quality tables', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('dq_tables');
    dataSource = await createMetadataDataSource({ url: database.url }).initialize();
    await migrateMetadata(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const run = () =>
    dataSource.getRepository(DqRunEntity).save({
      suite: 'orders',
      checkpoint: 'publish:orders',
      tableName: 'orders',
      snapshotId: '42',
      passed: false,
      successRate: 0.5,
      expectations: 2,
      failed: 1,
      startedAt: new Date('2026-03-01T00:00:00Z'),
      finishedAt: new Date('2026-03-01T00:00:01Z'),
    });
  const result = (runId: string, overrides: Partial<DqResultEntity> = {}) => ({
    runId,
    position: 0,
    expectation: 'not_null:email',
    type: 'not_null',
    severity: 'error',
    status: 'failed',
    mostly: 1,
    observed: 0.5,
    evaluatedRows: 4,
    failingRows: 2,
    samples: [{ email: null }],
    details: {},
    message: '2 of 4 rows fail',
    durationMs: 3,
    ...overrides,
  });

  it('stores a run with its results and reads JSON and counts back', async () => {
    const { id } = await run();
    await dataSource.getRepository(DqResultEntity).insert([
      result(id),
      result(id, {
        position: 1,
        expectation: 'column_type:a',
        observed: 'Float32',
        evaluatedRows: null,
      }),
    ]);
    const found = await dataSource.getRepository(DqRunEntity).findOneOrFail({
      where: { id },
      relations: { results: true },
      order: { results: { position: 'ASC' } },
    });
    expect(found).toMatchObject({ snapshotId: '42', successRate: 0.5, passed: false });
    expect(
      found.results?.map((r) => [r.observed, r.evaluatedRows, r.failingRows, r.samples]),
    ).toEqual([
      [0.5, 4, 2, [{ email: null }]],
      ['Float32', null, 2, [{ email: null }]],
    ]);
  });

  it('refuses unknown severities and statuses, duplicate names, and deletes results with the run', async () => {
    const { id } = await run();
    const results = dataSource.getRepository(DqResultEntity);
    await expect(results.insert(result(id, { severity: 'fatal' }))).rejects.toThrow(
      /dq_results_severity_check/,
    );
    await expect(results.insert(result(id, { status: 'maybe' }))).rejects.toThrow(
      /dq_results_status_check/,
    );
    await results.insert(result(id));
    await expect(results.insert(result(id, { position: 1 }))).rejects.toThrow(
      /dq_results_expectation_key/,
    );
    await dataSource.getRepository(DqRunEntity).delete({ id });
    expect(await results.countBy({ runId: id })).toBe(0);
  });
});
