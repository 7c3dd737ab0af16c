import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { type Expectation, EXPECTATION_TYPES, type ExpectationType, type Suite } from './suite';
import { SuiteError, type SuiteProblem } from './suite-error';
import { readYaml, schemaProblems, yamlFilesIn } from './yaml-problems';
import {
  COLUMN_PATTERN,
  DURATION_PATTERN,
  EXPECTATION_SCHEMAS,
  SUITE_NAME_PATTERN,
  SUITE_SCHEMA,
  TABLE_PATTERN,
} from './suite-schema';

const ajv = new Ajv2020({
  allErrors: true,
  allowUnionTypes: true,
  strictRequired: false,
  verbose: true,
});
const validateSuite = ajv.compile(SUITE_SCHEMA);
const validators = new Map<ExpectationType, ValidateFunction>(
  EXPECTATION_TYPES.map((type) => [type, ajv.compile(EXPECTATION_SCHEMAS[type])]),
);

/** Types that make a single observation of the table, for which `mostly` has no meaning. */
const TABLE_LEVEL: readonly ExpectationType[] = ['row_count', 'column_type', 'freshness'];

type Raw = Record<string, unknown>;

const PATTERN_NAMES: Record<string, string> = {
  [COLUMN_PATTERN]: 'a column name (letters, digits, _ and ., not starting with a digit)',
  [TABLE_PATTERN]: 'a table name (table or database.table)',
  [SUITE_NAME_PATTERN]: 'a suite name (lower-case letters, digits, _ . -, starting with a letter)',
  [DURATION_PATTERN]: 'a duration (e.g. 90s, 30m, 2h, 7d)',
};

/**
 * Parses and validates one suite written in YAML. Anything wrong — YAML syntax, a key the schema
 * does not know, a missing or mistyped field, contradictory bounds, two expectations with one
 * name — is refused with a `SuiteError` naming the file and, per problem, the line and the reason.
 */
export function parseSuite(text: string, file = '<suite>'): Suite {
  const parsed = readYaml(text);
  if ('problems' in parsed) throw new SuiteError(file, parsed.problems);
  const { data } = parsed;
  const describe = (errors: readonly ErrorObject[], prefix: string) =>
    schemaProblems(errors, prefix, parsed.locate, PATTERN_NAMES);
  const locate = parsed.locate;

  const problems: SuiteProblem[] = [];
  if (!validateSuite(data)) {
    problems.push(...describe(validateSuite.errors ?? [], ''));
  }
  const expectations: Expectation[] = [];
  const raw = isRecord(data) && Array.isArray(data.expectations) ? data.expectations : [];
  const names = new Map<string, number>();
  raw.forEach((item: unknown, index) => {
    const path = `/expectations/${index}`;
    if (!isRecord(item) || typeof item.type !== 'string') return; // reported by the suite schema
    const type = item.type as ExpectationType;
    const validate = validators.get(type);
    if (!validate) return;
    if (!validate(item)) {
      problems.push(...describe(validate.errors ?? [], path));
      return;
    }
    const semantic = semanticProblem(type, item);
    if (semantic) {
      problems.push(locate(`${path}/${semantic.field}`, semantic.reason));
      return;
    }
    const expectation = toExpectation(type, item);
    const previous = names.get(expectation.name);
    if (previous !== undefined) {
      problems.push(
        locate(
          item.name === undefined ? path : `${path}/name`,
          `expectation name '${expectation.name}' is already used by expectation ${previous + 1}; give one a distinct name`,
        ),
      );
      return;
    }
    names.set(expectation.name, index);
    expectations.push(expectation);
  });
  if (problems.length > 0 || !isRecord(data)) {
    throw new SuiteError(
      file,
      problems.sort((a, b) => a.line - b.line || a.column - b.column),
    );
  }
  return {
    name: String(data.suite),
    ...(typeof data.description === 'string' ? { description: data.description } : {}),
    ...(typeof data.table === 'string' ? { table: data.table } : {}),
    expectations,
    source: file,
  };
}

/** Reads and parses one suite file. */
export function loadSuiteFile(file: string): Suite {
  return parseSuite(readFileSync(file, 'utf8'), file);
}

/**
 * Every `*.yaml` / `*.yml` suite in a folder, sorted by file name. Throws the first refusal; two
 * files declaring the same suite name are refused as well.
 */
export function loadSuites(dir: string): Suite[] {
  const suites = yamlFilesIn(dir).map(loadSuiteFile);
  const seen = new Map<string, string>();
  for (const suite of suites) {
    const other = seen.get(suite.name);
    if (other !== undefined) {
      throw new SuiteError(suite.source ?? suite.name, [
        {
          line: 1,
          column: 1,
          path: '/suite',
          reason: `suite '${suite.name}' is also declared in ${other}`,
        },
      ]);
    }
    seen.set(suite.name, suite.source ?? suite.name);
  }
  return suites;
}

/** "90s", "30m", "2h", "7d", "250ms" or a number of milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`'${value}' is not a duration (e.g. 90s, 30m, 2h, 7d)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'];
  return Number(match[1]) * (unit ?? 1);
}

function semanticProblem(
  type: ExpectationType,
  item: Raw,
): { field: string; reason: string } | undefined {
  if (TABLE_LEVEL.includes(type) && item.mostly !== undefined) {
    return {
      field: 'mostly',
      reason: `mostly has no meaning for ${type}, which observes the table once`,
    };
  }
  const { min, max } = item;
  if (
    min !== undefined &&
    max !== undefined &&
    typeof min === typeof max &&
    (min as number) > (max as number)
  ) {
    return { field: 'min', reason: `min (${String(min)}) is greater than max (${String(max)})` };
  }
  if (
    type === 'value_range' &&
    min !== undefined &&
    max !== undefined &&
    typeof min !== typeof max
  ) {
    return { field: 'max', reason: 'min and max must both be numbers or both be strings' };
  }
  if (type === 'accepted_values') {
    const kinds = new Set((item.values as unknown[]).map((v) => typeof v));
    if (kinds.size > 1) {
      return { field: 'values', reason: 'values must all be strings, all numbers or all booleans' };
    }
  }
  if (type === 'custom_sql' && !/\{\{\s*table\s*\}\}/.test(String(item.sql))) {
    return { field: 'sql', reason: 'sql must read the checked table through {{table}}' };
  }
  return undefined;
}

function toExpectation(type: ExpectationType, item: Raw): Expectation {
  const columns =
    (item.columns as string[] | undefined) ??
    (item.column === undefined ? [] : [String(item.column)]);
  const common = {
    name:
      typeof item.name === 'string'
        ? item.name
        : columns.length > 0 && type !== 'column_set'
          ? `${type}:${columns.join(',')}`
          : type,
    severity: item.severity === 'warn' ? ('warn' as const) : ('error' as const),
    mostly: typeof item.mostly === 'number' ? item.mostly : 1,
    ...(typeof item.description === 'string' ? { description: item.description } : {}),
  };
  const column = String(item.column);
  switch (type) {
    case 'row_count':
      return {
        ...common,
        type,
        ...(item.min === undefined ? {} : { min: item.min as number }),
        ...(item.max === undefined ? {} : { max: item.max as number }),
        ...(item.relative_to === undefined
          ? {}
          : {
              relativeTo: String(item.relative_to),
              tolerance: (item.tolerance as number | undefined) ?? 0,
            }),
      };
    case 'column_set':
      return { ...common, type, columns, exact: item.exact === true };
    case 'not_null':
      return { ...common, type, column };
    case 'unique':
      return { ...common, type, columns };
    case 'column_type':
      return { ...common, type, column, columnType: String(item.expected_type) };
    case 'accepted_values':
      return { ...common, type, column, values: item.values as (string | number | boolean)[] };
    case 'value_range':
      return {
        ...common,
        type,
        column,
        ...(item.min === undefined ? {} : { min: item.min as number | string }),
        ...(item.max === undefined ? {} : { max: item.max as number | string }),
      };
    case 'regex':
      return { ...common, type, column, pattern: String(item.pattern) };
    case 'relationship': {
      const to = item.to as { table: string; column: string };
      return { ...common, type, column, toTable: to.table, toColumn: to.column };
    }
    case 'freshness':
      return { ...common, type, column, maxAgeMs: parseDuration(item.max_age as string | number) };
    case 'custom_sql':
      return { ...common, type, sql: String(item.sql) };
  }
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
