import type { Expectation, ExpectationOf } from '../suite/suite';
import { quoteIdentifier, type ResolvedTable } from './table-ref';

/** One query with its parameters (`{name:Type}` placeholders, bound by ClickHouse, never spliced). */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * How the runner evaluates an expectation:
 * - `rows`: a row-level check; `count` returns `evaluated` and `failing` (and maybe more columns),
 *   `samples` a few failing rows;
 * - `row_count`: `count` returns `rows` (and `reference` when relative to another table);
 * - `describe`: compares the table's columns (from `DESCRIBE TABLE`);
 * - `freshness`: `count` returns `rows` and `newest_ms`.
 */
export type CompiledExpectation =
  | { readonly kind: 'rows'; readonly count: CompiledQuery; readonly samples: CompiledQuery }
  | { readonly kind: 'row_count'; readonly count: CompiledQuery }
  | { readonly kind: 'describe' }
  | { readonly kind: 'freshness'; readonly count: CompiledQuery };

export interface CompileContext {
  readonly table: ResolvedTable;
  /** Other tables the suite names (relationship targets, row-count references), resolved. */
  readonly resolve: (name: string) => ResolvedTable;
  readonly sampleRows: number;
}

/** Compiles one expectation to ClickHouse SQL: identifiers quoted, values as query parameters. */
export function compileExpectation(e: Expectation, ctx: CompileContext): CompiledExpectation {
  const t = ctx.table.sql;
  const limit = { limit: ctx.sampleRows };
  switch (e.type) {
    case 'row_count':
      return {
        kind: 'row_count',
        count: {
          sql:
            e.relativeTo === undefined
              ? `SELECT count() AS rows FROM ${t}`
              : `SELECT (SELECT count() FROM ${t}) AS rows, (SELECT count() FROM ${ctx.resolve(e.relativeTo).sql}) AS reference`,
          params: {},
        },
      };
    case 'column_set':
    case 'column_type':
      return { kind: 'describe' };
    case 'freshness': {
      const c = quoteIdentifier(e.column);
      return {
        kind: 'freshness',
        count: {
          sql: `SELECT count() AS rows, toUnixTimestamp64Milli(toDateTime64(max(${c}), 3, 'UTC')) AS newest_ms FROM ${t}`,
          params: {},
        },
      };
    }
    case 'unique': {
      const key = e.columns.map(quoteIdentifier).join(', ');
      return {
        kind: 'rows',
        count: {
          sql: `SELECT sum(n) AS evaluated, sumIf(n, n > 1) AS failing, countIf(n > 1) AS duplicate_keys FROM (SELECT count() AS n FROM ${t} GROUP BY ${key})`,
          params: {},
        },
        samples: {
          sql: `SELECT ${key}, count() AS occurrences FROM ${t} GROUP BY ${key} HAVING occurrences > 1 ORDER BY occurrences DESC, ${key} LIMIT {limit:UInt32}`,
          params: limit,
        },
      };
    }
    case 'custom_sql': {
      const failing = `(${e.sql
        .trim()
        .replace(/;\s*$/, '')
        .replace(/\{\{\s*table\s*\}\}/g, t)})`;
      return {
        kind: 'rows',
        count: {
          sql: `SELECT (SELECT count() FROM ${t}) AS evaluated, (SELECT count() FROM ${failing}) AS failing`,
          params: {},
        },
        samples: { sql: `SELECT * FROM ${failing} LIMIT {limit:UInt32}`, params: limit },
      };
    }
    case 'not_null':
    case 'accepted_values':
    case 'value_range':
    case 'regex':
    case 'relationship':
      return rowLevel(e, ctx);
  }
}

type RowLevel = ExpectationOf<
  'not_null' | 'accepted_values' | 'value_range' | 'regex' | 'relationship'
>;

/** Checks of single values: a predicate that marks a failing row, over the rows it applies to. */
function rowLevel(e: RowLevel, ctx: CompileContext): CompiledExpectation {
  const c = quoteIdentifier(e.column);
  const params: Record<string, unknown> = {};
  let applies = `${c} IS NOT NULL`;
  let fails: string;
  let extra = '';
  switch (e.type) {
    case 'not_null':
      applies = '1';
      fails = `${c} IS NULL`;
      break;
    case 'accepted_values':
      // Compared as text, so one parameter type fits String, Enum, numeric and Bool columns alike.
      params.accepted = e.values.map(String);
      fails = `toString(${c}) NOT IN {accepted:Array(String)}`;
      break;
    case 'value_range': {
      const bounds: string[] = [];
      for (const side of ['min', 'max'] as const) {
        const value = e[side];
        if (value === undefined) continue;
        params[side] = value;
        const type = typeof value === 'number' ? 'Float64' : 'String';
        bounds.push(`${c} ${side === 'min' ? '<' : '>'} {${side}:${type}}`);
      }
      fails = bounds.join(' OR ');
      extra = `, toString(min(${c})) AS observed_min, toString(max(${c})) AS observed_max`;
      break;
    }
    case 'regex':
      params.pattern = e.pattern;
      fails = `NOT match(toString(${c}), {pattern:String})`;
      break;
    case 'relationship': {
      const other = ctx.resolve(e.toTable).sql;
      fails = `${c} NOT IN (SELECT ${quoteIdentifier(e.toColumn)} FROM ${other})`;
      break;
    }
  }
  const failing = `(${applies}) AND (${fails})`;
  return {
    kind: 'rows',
    count: {
      sql: `SELECT countIf(${applies}) AS evaluated, countIf(${failing}) AS failing${extra} FROM ${ctx.table.sql}`,
      params,
    },
    samples: {
      sql: `SELECT * FROM ${ctx.table.sql} WHERE ${failing} LIMIT {limit:UInt32}`,
      params: { ...params, limit: ctx.sampleRows },
    },
  };
}
