/** What went wrong, for callers that branch on it (the CLI's exit code, an HTTP status). */
export enum RegistryErrorCode {
  /** A source or event type name breaks the naming rules. */
  INVALID_NAME = 'INVALID_NAME',
  /** Not a valid JSON Schema (draft 2020-12, ajv strict mode). */
  INVALID_SCHEMA = 'INVALID_SCHEMA',
  /** A valid schema that is not backward compatible with the type's latest version. */
  INCOMPATIBLE_SCHEMA = 'INCOMPATIBLE_SCHEMA',
  UNKNOWN_SOURCE = 'UNKNOWN_SOURCE',
  SOURCE_EXISTS = 'SOURCE_EXISTS',
  UNKNOWN_KEY = 'UNKNOWN_KEY',
  /** Rotating a revoked key would bring a source back to life by accident; create one instead. */
  KEY_REVOKED = 'KEY_REVOKED',
}

/**
 * A refusal of the registry (never an outage: database errors pass through unchanged). `reasons`
 * has one line per problem, each led by a JSON pointer where one applies, so a caller can show all
 * of them at once; the message repeats them under a one-line summary.
 */
export class RegistryError extends Error {
  readonly reasons: string[];

  constructor(
    readonly code: RegistryErrorCode,
    summary: string,
    reasons: readonly string[] = [],
  ) {
    super([summary, ...reasons.map((reason) => `  - ${reason}`)].join('\n'));
    this.name = 'RegistryError';
    this.reasons = [...reasons];
  }
}
