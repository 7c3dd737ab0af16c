import { mkdirSync, rmSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir, uniqueName } from '@tributary/testing';
import { createWarehouseClient } from '@tributary/warehouse';
import type { Suite } from '../suite/suite';
import {
  BAD_ROWS,
  createOrdersTables,
  GOOD_ROWS,
  NOW,
  ordersSuite,
} from '../testing/orders-fixture';
import type { ExpectationResult, SuiteResult } from './results';
import { runSuite } from './run-suite';
import { trustedTable } from './table-ref';

describe(runSuite.name, () => {
  let dir: TempDir;
  let client: ClickHouseClient;
  const suite = ordersSuite();
  const run = (table: Parameters<typeof runSuite>[0]['table'], s: Suite = suite) =>
    runSuite({ client, suite: s, table, now: () => NOW, sampleRows: 3 });
  const byName = (result: SuiteResult) => new Map(result.results.map((r) => [r.name, r]));

  beforeAll(async () => {
    dir = tempDir('quality-run');
    client = createWarehouseClient({ kind: 'embedded', path: dir.path });
    await createOrdersTables(client);
  });

  afterAll(async () => {
    await client?.close();
    dir?.remove();
  });

  it('passes every expectation on good data', async () => {
    const result = await run('orders_good');
    expect(result.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(result).toMatchObject({
      suite: 'orders',
      table: 'orders_good',
      passed: true,
      successRate: 1,
    });
    const results = byName(result);
    expect(results.get('row_count')?.observed).toBe(4);
    expect(results.get('not_null:email')).toMatchObject({
      observed: 0.75,
      evaluatedRows: 4,
      failingRows: 1,
    });
    expect(results.get('freshness:created_at')?.observed).toBe(300);
    expect(results.get('close to the reference')?.details).toEqual({ reference_rows: 4, ratio: 1 });
  });

  it('fails each expectation on crafted bad data with the observed value and samples', async () => {
    const result = await run('orders_bad');
    expect(result.passed).toBe(false);
    const r = byName(result);
    const pick = (name: string): Partial<ExpectationResult> => {
      const { status, observed, evaluatedRows, failingRows, samples } =
        r.get(name) ?? ({} as ExpectationResult);
      return { status, observed, evaluatedRows, failingRows, samples };
    };
    expect(pick('row_count')).toMatchObject({ status: 'failed', observed: 5 });
    expect(r.get('row_count')?.message).toBe('5 rows: more than 4');
    expect(r.get('close to the reference')).toMatchObject({
      status: 'failed',
      severity: 'warn',
      observed: 5,
      details: { reference_rows: 4, ratio: 1.25 },
    });
    expect(r.get('column_set')).toMatchObject({
      status: 'failed',
      details: { missing: [], unexpected: ['note'] },
    });
    expect(r.get('column_set')?.observed).toEqual(expect.arrayContaining(['note', 'amount']));
    expect(pick('not_null:email')).toEqual({
      status: 'failed',
      observed: 0.6,
      evaluatedRows: 5,
      failingRows: 2,
      samples: [
        expect.objectContaining({ source: 'ghost', email: null }),
        expect.objectContaining({ order_id: '2', email: null }),
      ],
    });
    expect(pick('unique:order_id,line')).toEqual({
      status: 'failed',
      observed: 0.6,
      evaluatedRows: 5,
      failingRows: 2,
      samples: [{ order_id: '1', line: 1, occurrences: '2' }],
    });
    expect(r.get('unique:order_id,line')?.details).toEqual({ duplicate_keys: 1 });
    expect(pick('column_type:amount')).toMatchObject({ status: 'failed', observed: 'Float32' });
    expect(pick('accepted_values:currency')).toEqual({
      status: 'failed',
      observed: 0.8,
      evaluatedRows: 5,
      failingRows: 1,
      samples: [expect.objectContaining({ currency: 'GBP', amount: -3 })],
    });
    expect(pick('value_range:amount')).toMatchObject({
      status: 'failed',
      failingRows: 1,
      samples: [expect.objectContaining({ amount: -3 })],
    });
    expect(r.get('value_range:amount')?.details).toEqual({ observed_min: -3, observed_max: 10 });
    expect(pick('regex:email')).toEqual({
      status: 'failed',
      observed: 2 / 3,
      evaluatedRows: 3,
      failingRows: 1,
      samples: [expect.objectContaining({ email: 'not-an-email' })],
    });
    expect(pick('relationship:source')).toMatchObject({
      status: 'failed',
      failingRows: 1,
      samples: [expect.objectContaining({ source: 'ghost' })],
    });
    expect(pick('freshness:created_at')).toMatchObject({ status: 'failed', observed: 2 * 86_400 });
    expect(r.get('freshness:created_at')?.details).toMatchObject({
      newest: '2026-02-27T12:00:00.000Z',
    });
    expect(pick('at most two lines per order')).toEqual({
      status: 'failed',
      observed: 1,
      evaluatedRows: 5,
      failingRows: 1,
      samples: [{ order_id: '1', lines: '3' }],
    });
    expect(result.results.every((x) => x.status === 'failed')).toBe(true);
    expect(result.successRate).toBe(0);
    expect(BAD_ROWS).toHaveLength(5);
  });

  it('passes when only warn-severity expectations fail, and lets mostly tolerate a share', async () => {
    const lenient: Suite = {
      name: 'lenient',
      expectations: [
        { ...suite.expectations[1] },
        {
          type: 'accepted_values',
          name: 'currencies',
          column: 'currency',
          values: ['EUR', 'USD'],
          severity: 'error',
          mostly: 0.8,
        },
      ],
    };
    const result = await run('orders_bad', lenient);
    expect(result.results.map((x) => x.status)).toEqual(['failed', 'passed']);
    expect(result).toMatchObject({ passed: true, successRate: 0.5 });
  });

  it('reports an expectation it cannot evaluate as an error that blocks', async () => {
    const broken: Suite = {
      name: 'broken',
      expectations: [
        { type: 'not_null', name: 'missing column', column: 'nope', severity: 'error', mostly: 1 },
        { type: 'row_count', name: 'rows', min: 1, severity: 'error', mostly: 1 },
      ],
    };
    const result = await run('orders_good', broken);
    expect(result.results[0]).toMatchObject({ status: 'error', observed: null });
    expect(result.results[0].message).toMatch(/could not be evaluated: .*nope/);
    expect(result.results[1].status).toBe('passed');
    expect(result.passed).toBe(false);
  });

  it('keeps values out of the SQL text: a quote in an accepted value is data', async () => {
    const tricky: Suite = {
      name: 'tricky',
      expectations: [
        {
          type: 'accepted_values',
          name: 'v',
          column: 'currency',
          values: ["EUR') OR 1=1 --", 'USD'],
          severity: 'error',
          mostly: 1,
        },
      ],
    };
    const result = await run('orders_good', tricky);
    expect(result.results[0]).toMatchObject({ status: 'failed', failingRows: 2 });
  });

  it('runs on an Iceberg table read through icebergLocal', async () => {
    // chDB reads only below the working directory: the table lives in the repository's .cache/.
    const path = `.cache/quality-tests/${uniqueName('orders')}`;
    mkdirSync(path, { recursive: true });
    try {
      const settings = { allow_insert_into_iceberg: 1 } as const;
      const cols = 'order_id, line, source, currency, amount, email, created_at';
      await client.command({
        query: `CREATE TABLE orders_lake (order_id Int64, line Int32, source String, currency String, amount Float64, email Nullable(String), created_at DateTime64(6, 'UTC')) ENGINE = IcebergLocal('${path}', 'Parquet')`,
        clickhouse_settings: settings,
      });
      await client.command({
        query: `INSERT INTO orders_lake (${cols}) SELECT ${cols} FROM orders_bad`,
        clickhouse_settings: settings,
      });
      const lake = trustedTable(`icebergLocal('${path}')`, 'lake.orders');
      const rowLevel: Suite = {
        ...suite,
        expectations: suite.expectations.filter((e) => e.type !== 'column_type'),
      };
      const result = await runSuite({
        client,
        suite: rowLevel,
        table: lake,
        now: () => NOW,
        tables: { sources: 'sources' },
      });
      expect(result.table).toBe('lake.orders');
      const statuses = Object.fromEntries(result.results.map((x) => [x.name, x.status]));
      expect(statuses).toEqual({
        row_count: 'failed',
        'close to the reference': 'failed',
        column_set: 'passed',
        'not_null:email': 'failed',
        'unique:order_id,line': 'failed',
        'accepted_values:currency': 'failed',
        'value_range:amount': 'failed',
        'regex:email': 'failed',
        'relationship:source': 'failed',
        'freshness:created_at': 'failed',
        'at most two lines per order': 'failed',
      });
      expect(byName(result).get('accepted_values:currency')?.samples).toEqual([
        expect.objectContaining({ currency: 'GBP' }),
      ]);
      await client.command({ query: 'DROP TABLE orders_lake' });
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
    expect(GOOD_ROWS).toHaveLength(4);
  });
});
