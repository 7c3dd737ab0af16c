/**
 * A data-quality suite: named expectations about one table, declared in YAML (see
 * `parseSuite`) or built in code (see `viewSuite`). The same suite runs against any table
 * expression ClickHouse can read — a MergeTree, a serving copy, an Iceberg table.
 */
export interface Suite {
  /** `[a-z][a-z0-9_.-]*`: the label of the success-rate metric and the key of stored results. */
  readonly name: string;
  readonly description?: string;
  /** The table the suite checks when the caller names none (a table name, never an expression). */
  readonly table?: string;
  readonly expectations: readonly Expectation[];
  /** Where the suite came from, for messages and the data docs (`file` for YAML suites). */
  readonly source?: string;
}

export const SEVERITIES = ['error', 'warn'] as const;
/** `error` blocks a publish (the checkpoint does not pass); `warn` is only recorded. */
export type Severity = (typeof SEVERITIES)[number];

export const EXPECTATION_TYPES = [
  'row_count',
  'column_set',
  'not_null',
  'unique',
  'column_type',
  'accepted_values',
  'value_range',
  'regex',
  'relationship',
  'freshness',
  'custom_sql',
] as const;
export type ExpectationType = (typeof EXPECTATION_TYPES)[number];

/** What every expectation has. */
interface Common {
  /** Unique within the suite; defaults to `<type>` or `<type>:<columns>`. */
  readonly name: string;
  readonly severity: Severity;
  /**
   * Least share (0–1) of the evaluated rows that must pass for a row-level expectation to pass
   * (for `column_set`: of the listed columns that must be present). 1 by default: every row.
   */
  readonly mostly: number;
  readonly description?: string;
}

export type ScalarValue = string | number | boolean;

export type Expectation =
  | (Common & {
      readonly type: 'row_count';
      readonly min?: number;
      readonly max?: number;
      /** Compare with another table's row count instead: |rows − other| ≤ tolerance × other. */
      readonly relativeTo?: string;
      readonly tolerance?: number;
    })
  | (Common & {
      readonly type: 'column_set';
      readonly columns: readonly string[];
      /** true: no other columns may exist; false (default): the listed ones must exist. */
      readonly exact: boolean;
    })
  | (Common & { readonly type: 'not_null'; readonly column: string })
  | (Common & { readonly type: 'unique'; readonly columns: readonly string[] })
  | (Common & {
      readonly type: 'column_type';
      readonly column: string;
      readonly columnType: string;
    })
  | (Common & {
      readonly type: 'accepted_values';
      readonly column: string;
      readonly values: readonly ScalarValue[];
    })
  | (Common & {
      readonly type: 'value_range';
      readonly column: string;
      readonly min?: number | string;
      readonly max?: number | string;
    })
  | (Common & { readonly type: 'regex'; readonly column: string; readonly pattern: string })
  | (Common & {
      readonly type: 'relationship';
      readonly column: string;
      /** The other table (a name, or a key of the runner's `tables`) and its column. */
      readonly toTable: string;
      readonly toColumn: string;
    })
  | (Common & {
      readonly type: 'freshness';
      readonly column: string;
      /** Milliseconds: the newest value must be at most this old. */
      readonly maxAgeMs: number;
    })
  | (Common & {
      readonly type: 'custom_sql';
      /** A SELECT returning the failing rows; `{{table}}` stands for the checked table. Trusted. */
      readonly sql: string;
    });

export type ExpectationOf<T extends ExpectationType> = Extract<Expectation, { type: T }>;
