import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir } from '@tributary/testing';
import {
  batchSql,
  DEFAULT_VIEWS,
  demoEvents,
  EVENTS_TABLE,
  realtimeMigrations,
  REVENUE_BY_CURRENCY,
  toEventsRtRow,
} from '@tributary/views';
import { applyWarehouseMigrations, createWarehouseClient } from '@tributary/warehouse';
import { runSuite } from '../run/run-suite';
import { loadSuites } from '../suite/parse-suite';
import { viewSuite, viewSuites } from './view-suite';

describe(viewSuite.name, () => {
  let dir: TempDir;
  let client: ClickHouseClient;
  const suite = viewSuite(REVENUE_BY_CURRENCY, 'hour');

  beforeAll(async () => {
    dir = tempDir('quality-views');
    client = createWarehouseClient({ kind: 'embedded', path: dir.path });
    await applyWarehouseMigrations(client, realtimeMigrations([REVENUE_BY_CURRENCY]));
    const events = demoEvents({
      count: 300,
      seed: 3,
      // Recent: events_rt drops rows past its retention as they are inserted.
      ingestedFrom: new Date(Date.now() - 6 * 3_600_000),
      ingestedSpanMs: 6 * 3_600_000,
    });
    await client.insert({
      table: EVENTS_TABLE,
      values: events.map((e, i) => toEventsRtRow(e, { partition: 0, offset: String(i) })),
      format: 'JSONEachRow',
    });
    const batch = batchSql(REVENUE_BY_CURRENCY, 'hour', { relation: EVENTS_TABLE });
    await client.command({
      query: `CREATE TABLE batch_good ENGINE = MergeTree ORDER BY tuple() AS ${batch}`,
    });
    // The same output with a repeated key, a bucket off the hour, and a NULL sum.
    await client.command({
      query:
        'CREATE TABLE batch_bad ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM batch_good',
    });
    for (const query of [
      'INSERT INTO batch_bad SELECT * FROM batch_good ORDER BY bucket, currency LIMIT 1',
      "INSERT INTO batch_bad SELECT * REPLACE (bucket + INTERVAL 7 MINUTE AS bucket, 'XOF' AS currency) FROM batch_good LIMIT 1",
      "INSERT INTO batch_bad SELECT * REPLACE ('XAF' AS currency, NULL AS revenue) FROM batch_good LIMIT 1",
    ]) {
      await client.command({ query });
    }
  });

  afterAll(async () => {
    await client?.close();
    dir?.remove();
  });

  it('passes on the output of the compiled batch SQL', async () => {
    const result = await runSuite({ client, suite, table: 'batch_good' });
    expect(result.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(result.results[1].evaluatedRows).toBeGreaterThan(5);
  });

  it('fails on repeated keys, misaligned buckets and NULL measures', async () => {
    const result = await runSuite({ client, suite, table: 'batch_bad' });
    const failed = result.results
      .filter((r) => r.status !== 'passed')
      .map((r) => [r.name, r.severity, r.failingRows]);
    expect(failed).toEqual([
      ['view key unique', 'error', 2],
      ['measure revenue not null', 'warn', 1],
      ['buckets aligned to hour', 'error', 1],
    ]);
    expect(result.passed).toBe(false);
    const aligned = result.results.find((r) => r.name === 'buckets aligned to hour');
    expect(aligned?.samples).toEqual([expect.objectContaining({ currency: 'XOF' })]);
  });

  it('generates one suite per view and grain, and refuses a grain the view lacks', () => {
    const suites = viewSuites(DEFAULT_VIEWS);
    expect(suites.map((s) => s.name)).toContain('view.revenue_by_currency.day');
    expect(suites).toHaveLength(DEFAULT_VIEWS.reduce((n, v) => n + v.grains.length, 0));
    expect(suite.expectations.map((e) => e.name)).toEqual([
      'columns',
      'view key unique',
      'measure orders not null',
      'measure revenue not null',
      'measure smallest_order not null',
      'measure largest_order not null',
      'measure items not null',
      'buckets aligned to hour',
    ]);
    expect(() => viewSuite(REVENUE_BY_CURRENCY, 'minute')).toThrow(/has no grain 'minute'/);
  });

  it('the bundled events_rt suite passes on the demo events', async () => {
    const [events] = loadSuites(join(__dirname, '..', '..', 'suites'));
    const result = await runSuite({ client, suite: events });
    expect(result.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(result.results.find((r) => r.name === 'unique:event_id')?.evaluatedRows).toBe(300);
  });
});
