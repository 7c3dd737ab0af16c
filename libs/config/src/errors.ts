/**
 * Thrown once at start-up with every problem found, so an operator fixes all bad keys in one go
 * instead of one restart per key. `problems` has one line per key; the message lists them all.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    /** Unknown keys seen on the way; listed after the problems because they often explain them. */
    readonly warnings: readonly string[] = [],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = [`Invalid configuration (${count}):`, ...problems];
    if (warnings.length > 0) lines.push('Warnings:', ...warnings);
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/** What is printed in place of a secret, in errors and in redacted copies. */
export const MASK = '***';

/** `KEY="value" (where) is invalid: expected …`; a secret's value is never shown. */
export function invalidValue(
  key: string,
  value: string,
  options: { sensitive: boolean; origin?: string; expected: string },
): string {
  const shown = options.sensitive ? MASK : JSON.stringify(value);
  const origin = options.origin ? ` (${options.origin})` : '';
  return `${key}=${shown}${origin} is invalid: expected ${options.expected}`;
}

export function missingRequired(key: string, profile: string, expected: string): string {
  return `${key} is required in the ${profile} profile: expected ${expected}`;
}
