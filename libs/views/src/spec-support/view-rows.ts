import type { ViewDefinition, ViewMeasure } from '../definition/view-definition';
import type { ViewRow } from '../reference/reference-rows';
import { sortViewRows } from '../reference/sort-view-rows';

export { sortViewRows as sortRows };

/** The measures whose finalized values combine without states (all but unique counts). */
export function additiveMeasures(view: ViewDefinition): ViewMeasure[] {
  return view.measures.filter((m) => m.fn !== 'unique');
}

/** Rows with only the keys and the additive measures. */
export function withoutUniqueCounts(view: ViewDefinition, rows: readonly ViewRow[]): ViewRow[] {
  const unique = view.measures.filter((m) => m.fn === 'unique').map((m) => m.name);
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([k]) => !unique.includes(k))),
  );
}

/**
 * Adds two finalized answers (batch before a cut, real-time from it) the way a serving layer
 * may without states: counts and sums add, min and max take the smaller and larger. Unique
 * counts are left out — they need states (mergedReadSql).
 */
export function combineFinalRows(
  view: ViewDefinition,
  left: readonly ViewRow[],
  right: readonly ViewRow[],
): ViewRow[] {
  const keyOf = (row: ViewRow) =>
    JSON.stringify([row.bucket, ...view.dimensions.map((d) => row[d.name])]);
  const combined = new Map<string, ViewRow>();
  for (const row of withoutUniqueCounts(view, [...left, ...right])) {
    const key = keyOf(row);
    const seen = combined.get(key);
    if (seen === undefined) {
      combined.set(key, { ...row });
      continue;
    }
    for (const measure of additiveMeasures(view)) {
      seen[measure.name] = combineValue(
        measure,
        seen[measure.name] ?? null,
        row[measure.name] ?? null,
      );
    }
  }
  return sortViewRows(view, [...combined.values()]);
}

type Value = string | number | boolean | null;

function combineValue(measure: ViewMeasure, a: Value, b: Value): Value {
  if (a === null) return b;
  if (b === null) return a;
  // 64-bit integers arrive quoted (counts, Int64 sums); Float64 values as numbers.
  const big = typeof a === 'string';
  const x = big ? BigInt(a) : (a as number);
  const y = big ? BigInt(b as string) : (b as number);
  const result =
    measure.fn === 'min' ? (x < y ? x : y) : measure.fn === 'max' ? (x > y ? x : y) : add(x, y);
  return typeof result === 'bigint' ? result.toString() : result;
}

function add(x: number | bigint, y: number | bigint): number | bigint {
  return typeof x === 'bigint' ? x + (y as bigint) : x + (y as number);
}
