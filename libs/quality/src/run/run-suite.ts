import type { ClickHouseClient } from '@clickhouse/client';
import type { Expectation, ExpectationOf, Suite } from '../suite/suite';
import {
  type CompileContext,
  type CompiledQuery,
  compileFreshness,
  compileRowCheck,
  compileRowCount,
  type RowCheck,
} from './compile-expectation';
import { type ExpectationResult, isBlocking, type JsonValue, type SuiteResult } from './results';
import { resolveTable, type TableRef } from './table-ref';

export const DEFAULT_SAMPLE_ROWS = 5;

export interface RunSuiteOptions {
  /** Any `@clickhouse/client` client: a ClickHouse server, or chDB from `createWarehouseClient`. */
  readonly client: ClickHouseClient;
  readonly suite: Suite;
  /** What to check; defaults to the suite's own `table`. */
  readonly table?: TableRef;
  /** Tables the suite names (relationship targets, row-count references) mapped to other refs. */
  readonly tables?: Readonly<Record<string, TableRef>>;
  /** Failing rows kept per expectation (5). */
  readonly sampleRows?: number;
  /** The clock freshness is measured against. */
  readonly now?: () => Date;
}

/**
 * Runs every expectation of a suite against one table, one after the other, and reports each
 * with its observed value, failing-row count and samples. A query that fails (a missing column,
 * an unreadable table) makes that expectation `error`, never the whole run.
 */
export async function runSuite(options: RunSuiteOptions): Promise<SuiteResult> {
  const { client, suite } = options;
  const ref = options.table ?? suite.table;
  if (ref === undefined) throw new Error(`suite '${suite.name}' names no table and none was given`);
  const table = resolveTable(ref);
  const ctx: CompileContext = {
    table,
    resolve: (name) => resolveTable(options.tables?.[name] ?? name),
    sampleRows: options.sampleRows ?? DEFAULT_SAMPLE_ROWS,
  };
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  let columns: Promise<Map<string, string>> | undefined;
  const describe = () => (columns ??= describeTable(client, table.sql));

  const results: ExpectationResult[] = [];
  for (const expectation of suite.expectations) {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await evaluate(client, expectation, ctx, describe, now);
    } catch (error) {
      outcome = {
        status: 'error',
        observed: null,
        evaluatedRows: null,
        failingRows: null,
        message: `could not be evaluated: ${firstLine(error)}`,
      };
    }
    results.push({
      name: expectation.name,
      type: expectation.type,
      severity: expectation.severity,
      mostly: expectation.mostly,
      samples: [],
      details: {},
      ...outcome,
      durationMs: Math.round(performance.now() - started),
    });
  }
  const passedCount = results.filter((r) => r.status === 'passed').length;
  return {
    suite: suite.name,
    table: table.label,
    passed: !results.some(isBlocking),
    successRate: results.length === 0 ? 1 : passedCount / results.length,
    startedAt,
    finishedAt: now(),
    results,
  };
}

type Outcome = Omit<
  ExpectationResult,
  'name' | 'type' | 'severity' | 'mostly' | 'durationMs' | 'samples' | 'details'
> &
  Partial<Pick<ExpectationResult, 'samples' | 'details'>>;

async function evaluate(
  client: ClickHouseClient,
  e: Expectation,
  ctx: CompileContext,
  describe: () => Promise<Map<string, string>>,
  now: () => Date,
): Promise<Outcome> {
  switch (e.type) {
    case 'row_count':
      return rowCount(e, (await select(client, compileRowCount(e, ctx)))[0]);
    case 'column_set':
      return columnSet(e, await describe());
    case 'column_type':
      return columnType(e, await describe());
    case 'freshness':
      return freshness(e, (await select(client, compileFreshness(e, ctx)))[0], now());
    case 'unique':
    case 'custom_sql':
    case 'not_null':
    case 'accepted_values':
    case 'value_range':
    case 'regex':
    case 'relationship':
      return rowCheck(client, e, compileRowCheck(e, ctx));
  }
}

type Row = Record<string, JsonValue>;

function rowCount(e: ExpectationOf<'row_count'>, row: Row): Outcome {
  const rows = Number(row.rows);
  const problems: string[] = [];
  if (e.min !== undefined && rows < e.min) problems.push(`fewer than ${e.min}`);
  if (e.max !== undefined && rows > e.max) problems.push(`more than ${e.max}`);
  const details: Record<string, JsonValue> = {};
  if (e.relativeTo !== undefined) {
    const reference = Number(row.reference);
    const tolerance = e.tolerance ?? 0;
    details.reference_rows = reference;
    details.ratio = reference === 0 ? null : rows / reference;
    if (Math.abs(rows - reference) > tolerance * reference) {
      problems.push(`not within ±${tolerance * 100}% of ${e.relativeTo} (${reference} rows)`);
    }
  }
  return {
    status: problems.length === 0 ? 'passed' : 'failed',
    observed: rows,
    evaluatedRows: null,
    failingRows: null,
    details,
    message:
      problems.length === 0 ? `${rows} rows, as expected` : `${rows} rows: ${problems.join(', ')}`,
  };
}

function columnSet(e: ExpectationOf<'column_set'>, actual: Map<string, string>): Outcome {
  const names = [...actual.keys()];
  const missing = e.columns.filter((c) => !actual.has(c));
  const unexpected = e.exact ? names.filter((c) => !e.columns.includes(c)) : [];
  const present = (e.columns.length - missing.length) / e.columns.length;
  const ok = present >= e.mostly && unexpected.length === 0;
  const problems = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    unexpected.length > 0 ? `unexpected ${unexpected.join(', ')}` : '',
  ].filter(Boolean);
  return {
    status: ok ? 'passed' : 'failed',
    observed: names,
    evaluatedRows: null,
    failingRows: null,
    details: { missing, unexpected },
    message:
      problems.length === 0
        ? `all ${e.columns.length} expected columns present`
        : problems.join('; '),
  };
}

function columnType(e: ExpectationOf<'column_type'>, actual: Map<string, string>): Outcome {
  const type = actual.get(e.column);
  const ok = type !== undefined && normaliseType(type) === normaliseType(e.columnType);
  return {
    status: ok ? 'passed' : 'failed',
    observed: type ?? null,
    evaluatedRows: null,
    failingRows: null,
    message:
      type === undefined
        ? `column ${e.column} does not exist`
        : `${e.column} is ${type}${ok ? '' : `, expected ${e.columnType}`}`,
  };
}

function freshness(e: ExpectationOf<'freshness'>, row: Row, now: Date): Outcome {
  const rows = Number(row.rows);
  const newest = row.newest_ms === null ? null : Number(row.newest_ms);
  if (rows === 0 || newest === null) {
    return {
      status: 'failed',
      observed: null,
      evaluatedRows: rows,
      failingRows: null,
      message: `no value in ${e.column}: the table is empty`,
    };
  }
  const ageSeconds = Math.max(0, (now.getTime() - newest) / 1000);
  return {
    status: ageSeconds * 1000 <= e.maxAgeMs ? 'passed' : 'failed',
    observed: ageSeconds,
    evaluatedRows: rows,
    failingRows: null,
    details: { newest: new Date(newest).toISOString(), max_age_seconds: e.maxAgeMs / 1000 },
    message: `newest ${e.column} is ${formatSeconds(ageSeconds)} old (at most ${formatSeconds(e.maxAgeMs / 1000)} allowed)`,
  };
}

async function rowCheck(
  client: ClickHouseClient,
  e: RowCheck,
  compiled: { count: CompiledQuery; samples: CompiledQuery },
): Promise<Outcome> {
  const [row] = await select(client, compiled.count);
  const evaluated = Number(row.evaluated);
  const failing = Number(row.failing);
  const passRatio = evaluated === 0 ? 1 : (evaluated - failing) / evaluated;
  // custom SQL may return rows that are not the table's (e.g. aggregates): compare counts instead.
  const ok =
    e.type === 'custom_sql' ? failing <= (1 - e.mostly) * evaluated : passRatio >= e.mostly;
  const samples = failing > 0 ? await select(client, compiled.samples) : [];
  const details: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key !== 'evaluated' && key !== 'failing') details[key] = numeric(value);
  }
  const what =
    e.type === 'custom_sql'
      ? `${failing} failing rows returned`
      : `${failing} of ${evaluated} rows fail`;
  return {
    status: ok ? 'passed' : 'failed',
    observed: e.type === 'custom_sql' ? failing : passRatio,
    evaluatedRows: evaluated,
    failingRows: failing,
    samples,
    details,
    message: `${what} (${percent(passRatio)} pass, ${percent(e.mostly)} required)`,
  };
}

async function select(
  client: ClickHouseClient,
  query: CompiledQuery,
): Promise<Record<string, JsonValue>[]> {
  const result = await client.query({
    query: query.sql,
    query_params: { ...query.params },
    format: 'JSONEachRow',
  });
  return result.json<Row>();
}

async function describeTable(
  client: ClickHouseClient,
  table: string,
): Promise<Map<string, string>> {
  const result = await client.query({ query: `DESCRIBE TABLE ${table}`, format: 'JSONEachRow' });
  const rows = await result.json<{ name: string; type: string }>();
  return new Map(rows.map((r) => [r.name, r.type]));
}

/** `DateTime64(3, 'UTC')` and `DateTime64(3,'UTC')` are the same type. */
function normaliseType(type: string): string {
  return type.replace(/\s+/g, '');
}

/** 64-bit integers arrive quoted (output_format_json_quote_64bit_integers); details want numbers. */
function numeric(value: JsonValue): JsonValue {
  return typeof value === 'string' && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))
    ? Number(value)
    : value;
}

function percent(ratio: number): string {
  return `${Math.floor(ratio * 10_000) / 100}%`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 500);
}
