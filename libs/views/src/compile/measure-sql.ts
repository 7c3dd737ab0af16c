import type { ViewMeasure } from '../definition/view-definition';
import { fieldSql } from './field-sql';

/** One measure as aggregate-function SQL, in the forms the compiled queries need. */
export interface MeasureSql {
  readonly name: string;
  /** Column type of the state in the real-time table, e.g. `AggregateFunction(sum, Nullable(Float64))`. */
  readonly stateType: string;
  /** Over events, finalized: `sum(x)`. */
  readonly final: string;
  /** Over events, as a state: `sumState(x)`. */
  readonly state: string;
  /** Finalize a state column: `sumMerge(col)`. */
  merge(column: string): string;
  /** Merge state columns into a state again: `sumMergeState(col)`. */
  mergeState(column: string): string;
}

const FUNCTION: Record<Exclude<ViewMeasure['fn'], 'unique'>, string> = {
  count: 'count',
  sum: 'sum',
  min: 'min',
  max: 'max',
};

export function measureSql(measure: ViewMeasure): MeasureSql {
  const fn =
    measure.fn === 'unique'
      ? measure.method === 'exact'
        ? 'uniqExact'
        : 'uniqCombined64'
      : FUNCTION[measure.fn];
  const argument = measure.fn === 'count' ? undefined : fieldSql(measure.of);
  const arg = argument?.value ?? '';
  // uniqCombined64 of nothing but NULLs finalizes to NULL (uniqExact to 0): a count of no values
  // is 0 in every form.
  const finalize = (sql: string) => (measure.fn === 'unique' ? `ifNull(${sql}, 0)` : sql);
  return {
    name: measure.name,
    stateType: `AggregateFunction(${argument ? `${fn}, ${argument.valueType}` : fn})`,
    final: finalize(`${fn}(${arg})`),
    state: `${fn}State(${arg})`,
    merge: (column) => finalize(`${fn}Merge(${column})`),
    mergeState: (column) => `${fn}MergeState(${column})`,
  };
}
