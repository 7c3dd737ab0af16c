import type { ViewDefinition } from '../definition/view-definition';
import type { ViewRow } from './reference-rows';

/** Rows in one canonical order (bucket, then dimensions), whatever order they came in. */
export function sortViewRows(view: ViewDefinition, rows: readonly ViewRow[]): ViewRow[] {
  const key = (row: ViewRow) =>
    JSON.stringify([row.bucket, ...view.dimensions.map((d) => row[d.name])]);
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
