import { ORDERS_SUITE_YAML } from '../testing/orders-fixture';
import { parseDuration, parseSuite } from './parse-suite';
import { SuiteError } from './suite-error';

const GOOD = `table: staging.orders\n${ORDERS_SUITE_YAML}`;

function refusal(text: string): SuiteError {
  try {
    parseSuite(text, 'suites/bad.yaml');
  } catch (error) {
    if (error instanceof SuiteError) return error;
    throw error;
  }
  throw new Error('the suite was accepted');
}

describe(parseSuite.name, () => {
  it('reads every expectation type with defaults and names', () => {
    const suite = parseSuite(GOOD, 'suites/orders.yaml');
    expect(suite).toMatchObject({
      name: 'orders',
      table: 'staging.orders',
      source: 'suites/orders.yaml',
    });
    expect(suite.expectations.map((e) => [e.type, e.name, e.severity, e.mostly])).toEqual([
      ['row_count', 'row_count', 'error', 1],
      ['row_count', 'close to the reference', 'warn', 1],
      ['column_set', 'column_set', 'error', 1],
      ['not_null', 'not_null:email', 'error', 0.7],
      ['unique', 'unique:order_id,line', 'error', 1],
      ['column_type', 'column_type:amount', 'error', 1],
      ['accepted_values', 'accepted_values:currency', 'error', 1],
      ['value_range', 'value_range:amount', 'error', 1],
      ['regex', 'regex:email', 'error', 1],
      ['relationship', 'relationship:source', 'error', 1],
      ['freshness', 'freshness:created_at', 'error', 1],
      ['custom_sql', 'at most two lines per order', 'error', 1],
    ]);
    expect(suite.expectations[1]).toMatchObject({ relativeTo: 'orders_reference', tolerance: 0.2 });
    expect(suite.expectations[2]).toMatchObject({ exact: true });
    expect(suite.expectations[7]).toMatchObject({ min: 0, max: 100 });
    expect(suite.expectations[9]).toMatchObject({ toTable: 'sources', toColumn: 'name' });
    expect(suite.expectations[10]).toMatchObject({ maxAgeMs: 3_600_000 });
  });

  it('refuses YAML syntax errors with the line', () => {
    const error = refusal('suite: x\nexpectations:\n  - type: not_null\n    column: [a\n');
    expect(error.file).toBe('suites/bad.yaml');
    expect(error.problems[0].line).toBeGreaterThanOrEqual(4);
    expect(error.problems[0].reason).toMatch(/^YAML: /);
    expect(error.message).toMatch(/^Invalid data-quality suite suites\/bad\.yaml/);
  });

  it('refuses duplicate keys', () => {
    const error = refusal('suite: x\nsuite: y\nexpectations:\n  - type: row_count\n    min: 1\n');
    expect(error.problems).toEqual([
      expect.objectContaining({ line: 2, reason: expect.stringMatching(/unique/i) }),
    ]);
  });

  it('names the line and reason of each schema problem', () => {
    const text = [
      'suite: Orders!', // 1: bad name
      'expectations:', // 2
      '  - type: not_null', // 3: missing column
      '    severity: fatal', // 4: bad severity
      '  - type: accepted_values', // 5
      '    column: currency', // 6
      '    values: [EUR]', // 7
      '    colour: red', // 8: unknown key
      '  - type: teleport', // 9: unknown type
      '  - type: value_range', // 10
      '    column: amount', // 11
      '    min: 10', // 12: min > max
      '    max: 1', // 13
      '  - type: row_count', // 14
      '    mostly: 0.5', // 15: meaningless
      '    min: 1', // 16
      '  - type: unique', // 17: neither column nor columns
      '  - type: custom_sql', // 18
      '    sql: SELECT 1', // 19: does not read {{table}}
      '  - type: freshness', // 20
      '    column: ts', // 21
      '    max_age: soon', // 22
      '  - type: not_null', // 23
      '    column: "a; DROP TABLE x"', // 24: not an identifier
    ].join('\n');
    const error = refusal(text);
    expect(error.problems.map((p) => [p.line, p.reason])).toEqual([
      [1, expect.stringMatching(/^suite 'Orders!' is not a suite name/)],
      [3, "missing required key 'column'"],
      [4, 'severity must be one of: error, warn'],
      [8, "unknown key 'colour'"],
      [9, expect.stringMatching(/^type must be one of: row_count, column_set/)],
      [12, 'min (10) is greater than max (1)'],
      [15, 'mostly has no meaning for row_count, which observes the table once'],
      [17, 'needs exactly one of: column, columns'],
      [19, 'sql must read the checked table through {{table}}'],
      [22, expect.stringMatching(/^max_age 'soon' is not a duration/)],
      [24, expect.stringMatching(/^column 'a; DROP TABLE x' is not a column name/)],
    ]);
    expect(error.message).toContain('suites/bad.yaml:8:5: unknown key');
  });

  it('refuses a document without expectations and two expectations with one name', () => {
    expect(refusal('suite: x\n').problems).toEqual([
      expect.objectContaining({ line: 1, reason: "missing required key 'expectations'" }),
    ]);
    const twice = refusal(
      'suite: x\nexpectations:\n  - type: not_null\n    column: a\n  - type: not_null\n    column: a\n',
    );
    expect(twice.problems).toEqual([
      expect.objectContaining({
        line: 5,
        reason: expect.stringMatching(/already used by expectation 1/),
      }),
    ]);
  });
});

describe(parseDuration.name, () => {
  it('reads units and plain milliseconds', () => {
    expect(['250ms', '90s', '30m', '2h', '7d', 1500].map(parseDuration)).toEqual([
      250, 90_000, 1_800_000, 7_200_000, 604_800_000, 1500,
    ]);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });
});
