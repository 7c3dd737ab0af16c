import { type CompileContext, compileRowCheck } from './compile-expectation';
import { quoteIdentifier, resolveTable, trustedTable } from './table-ref';

const ctx: CompileContext = {
  table: resolveTable('db.orders'),
  resolve: (name) => resolveTable(name),
  sampleRows: 3,
};

describe(compileRowCheck.name, () => {
  it('quotes identifiers and binds values as parameters', () => {
    const compiled = compileRowCheck(
      {
        type: 'accepted_values',
        name: 'v',
        column: 'currency',
        values: ["EUR'", 1],
        severity: 'error',
        mostly: 1,
      },
      ctx,
    );
    expect(compiled.count.sql).toBe(
      'SELECT countIf(`currency` IS NOT NULL) AS evaluated, countIf((`currency` IS NOT NULL) AND (toString(`currency`) NOT IN {accepted:Array(String)})) AS failing FROM `db`.`orders`',
    );
    expect(compiled.count.params).toEqual({ accepted: ["EUR'", '1'] });
    expect(compiled.samples.sql).toMatch(/LIMIT \{limit:UInt32\}$/);
    expect(compiled.samples.params).toEqual({ accepted: ["EUR'", '1'], limit: 3 });
  });

  it('types range bounds by their value', () => {
    const compiled = compileRowCheck(
      {
        type: 'value_range',
        name: 'r',
        column: 'ts',
        min: '2026-01-01',
        max: 5,
        severity: 'warn',
        mostly: 1,
      },
      ctx,
    );
    expect(compiled.count.sql).toContain('`ts` < {min:String} OR `ts` > {max:Float64}');
  });

  it('puts the checked table into custom SQL and reads other tables by quoted name', () => {
    const custom = compileRowCheck(
      {
        type: 'custom_sql',
        name: 'c',
        sql: 'SELECT * FROM {{ table }} WHERE x < 0;',
        severity: 'error',
        mostly: 1,
      },
      ctx,
    );
    expect(custom.samples.sql).toBe(
      'SELECT * FROM (SELECT * FROM `db`.`orders` WHERE x < 0) LIMIT {limit:UInt32}',
    );
    const relation = compileRowCheck(
      {
        type: 'relationship',
        name: 'r',
        column: 'src',
        toTable: 'sources',
        toColumn: 'name',
        severity: 'error',
        mostly: 1,
      },
      ctx,
    );
    expect(relation.count.sql).toContain('`src` NOT IN (SELECT `name` FROM `sources`)');
  });
});

describe('table references', () => {
  it('quote names, refuse anything that is not one, and pass trusted expressions through', () => {
    expect(quoteIdentifier('we`ird\\')).toBe('`we\\`ird\\\\`');
    expect(resolveTable('events')).toEqual({ sql: '`events`', label: 'events' });
    expect(() => resolveTable('events; DROP TABLE x')).toThrow(/must be table or database.table/);
    expect(() => resolveTable("icebergLocal('x')")).toThrow(/must be table/);
    expect(resolveTable(trustedTable("icebergLocal('lake/events')", 'lake.events'))).toEqual({
      sql: "icebergLocal('lake/events')",
      label: 'lake.events',
    });
    expect(() => trustedTable('x; DROP TABLE y')).toThrow(/without ';'/);
  });
});
