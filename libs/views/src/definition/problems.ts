/** Collects `path: message` pairs while one view definition is checked. */
export class Problems {
  readonly items: { path: string; message: string }[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports keys outside `allowed`, so a typo (`dimension:`) is refused instead of ignored. */
export function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  problems: Problems,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      problems.add(join(path, key), `unknown key; expected one of ${allowed.join(', ')}`);
    }
  }
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
