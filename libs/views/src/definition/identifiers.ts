/**
 * Everything the compiler writes into SQL text passes one of these allow-lists; nothing is ever
 * interpolated as given. Values that are data (cut times) travel as query parameters instead.
 */

/** View, dimension and measure names. */
export const NAME = /^[a-z][a-z0-9_]*$/;
export const MAX_VIEW_NAME = 40;
export const MAX_COLUMN_NAME = 64;

/** Event type names, as the ingest API accepts them (libs/contracts). */
export const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
export const MAX_EVENT_TYPE = 128;

/** One segment of a path into `properties`. */
export const PROPERTY_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_PROPERTY_DEPTH = 8;

/** A table a batch query reads: `table` or `database.table`. */
export const RELATION = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** A cluster name, or the `{cluster}` macro of the server configuration. */
export const CLUSTER_NAME = /^(\{cluster\}|[A-Za-z_][A-Za-z0-9_]*)$/;

/** Filter strings: printable text (no control characters), at most 256 characters. */
export const MAX_FILTER_STRING = 256;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function isFilterString(value: string): boolean {
  return value.length <= MAX_FILTER_STRING && !CONTROL.test(value);
}

/** A ClickHouse string literal; callers pass allow-listed text, the escaping is a second guard. */
export function sqlString(value: string): string {
  if (CONTROL.test(value)) throw new Error('control characters are not allowed in SQL literals');
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function propertySegments(path: string): string[] {
  return path.split('.');
}
