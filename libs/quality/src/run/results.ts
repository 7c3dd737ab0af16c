import type { ExpectationType, Severity } from '../suite/suite';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `error`: the expectation could not be evaluated (bad column, SQL error); it counts as failed. */
export type ExpectationStatus = 'passed' | 'failed' | 'error';

/** The outcome of one expectation on one table. */
export interface ExpectationResult {
  readonly name: string;
  readonly type: ExpectationType;
  readonly severity: Severity;
  readonly mostly: number;
  readonly status: ExpectationStatus;
  /**
   * What was measured: the row count (`row_count`), the columns (`column_set`), the column's type
   * (`column_type`), the age in seconds of the newest value (`freshness`), the number of failing
   * rows (`custom_sql`), else the share of evaluated rows that pass (what `mostly` is compared to).
   */
  readonly observed: JsonValue;
  /** Rows the check looked at (non-NULL values for value checks); null for table-level checks. */
  readonly evaluatedRows: number | null;
  readonly failingRows: number | null;
  /** A few failing rows as ClickHouse returns them (JSON; duplicate keys with `occurrences`). */
  readonly samples: readonly Record<string, JsonValue>[];
  /** Further measurements, e.g. `{ missing: [...] }` or `{ observed_min, observed_max }`. */
  readonly details: Readonly<Record<string, JsonValue>>;
  /** One sentence for people: what was found against what was expected. */
  readonly message: string;
  readonly durationMs: number;
}

/** The outcome of a suite on one table. */
export interface SuiteResult {
  readonly suite: string;
  /** The label of the table that was checked. */
  readonly table: string;
  /** false iff an error-severity expectation did not pass. */
  readonly passed: boolean;
  /** Share of expectations that passed (1 for a suite that ran nothing). */
  readonly successRate: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly results: readonly ExpectationResult[];
}

export function isBlocking(result: ExpectationResult): boolean {
  return result.severity === 'error' && result.status !== 'passed';
}
