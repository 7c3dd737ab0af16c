/** `2026-03-10 12:00:00.000`: how a UTC instant is written for a DateTime64(3, 'UTC') column or parameter. */
export function formatDateTime64(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new Error(`not a valid time: ${String(at)}`);
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** `2026-03-10 12:00:00`: how ClickHouse prints a DateTime('UTC') bucket in JSON. */
export function formatDateTime(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
}
