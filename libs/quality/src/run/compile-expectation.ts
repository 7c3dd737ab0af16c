import type { ExpectationOf } from '../suite/suite';
import { quoteIdentifier, type ResolvedTable } from './table-ref';

/** One query with its parameters (`{name:Type}` placeholders, bound by ClickHouse, never spliced). */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface CompileContext {
  readonly table: ResolvedTable;
  /** Other tables the suite names (relationship targets, row-count references), resolved. */
  readonly resolve: (name: string) => ResolvedTable;
  readonly sampleRows: number;
}

/** `rows`, and `reference` when the count is compared with another table's. */
export function compileRowCount(e: ExpectationOf<'row_count'>, ctx: CompileContext): CompiledQuery {
  const t = ctx.table.sql;
  return {
    sql:
      e.relativeTo === undefined
        ? `SELECT count() AS rows FROM ${t}`
        : `SELECT (SELECT count() FROM ${t}) AS rows, (SELECT count() FROM ${ctx.resolve(e.relativeTo).sql}) AS reference`,
    params: {},
  };
}

/** `rows` and `newest_ms`, the newest value as Unix milliseconds. */
export function compileFreshness(
  e: ExpectationOf<'freshness'>,
  ctx: CompileContext,
): CompiledQuery {
  const c = quoteIdentifier(e.column);
  return {
    sql: `SELECT count() AS rows, toUnixTimestamp64Milli(toDateTime64(max(${c}), 3, 'UTC')) AS newest_ms FROM ${ctx.table.sql}`,
    params: {},
  };
}

/** Types whose outcome is a count of failing rows among evaluated ones. */
export type RowCheck = ExpectationOf<
  | 'unique'
  | 'custom_sql'
  | 'not_null'
  | 'accepted_values'
  | 'value_range'
  | 'regex'
  | 'relationship'
>;

/** `evaluated` and `failing` (maybe more columns), and a query for a few failing rows. */
export function compileRowCheck(
  e: RowCheck,
  ctx: CompileContext,
): { count: CompiledQuery; samples: CompiledQuery } {
  const t = ctx.table.sql;
  const limit = { limit: ctx.sampleRows };
  switch (e.type) {
    case 'unique': {
      const key = e.columns.map(quoteIdentifier).join(', ');
      return {
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
      return valueCheck(e, ctx);
  }
}

type ValueCheck = ExpectationOf<
  'not_null' | 'accepted_values' | 'value_range' | 'regex' | 'relationship'
>;

/** Checks of single values: a predicate that marks a failing row, over the rows it applies to. */
function valueCheck(
  e: ValueCheck,
  ctx: CompileContext,
): { count: CompiledQuery; samples: CompiledQuery } {
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
