/** RFC 6901: `~` and `/` inside a segment are written `~0` and `~1`. */
export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `pointer('/properties', 'a/b')` → `/properties/a~1b`. */
export function pointer(base: string, ...segments: Array<string | number>): string {
  return segments.reduce<string>((at, segment) => `${at}/${escapeSegment(segment)}`, base);
}

/** A reason line: where (a JSON pointer, `/` for the root) and what. */
export function at(where: string, message: string): string {
  return `${where === '' ? '/' : where}: ${message}`;
}
