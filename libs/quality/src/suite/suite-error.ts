/** One thing wrong with a suite file, where it is (1-based line and column) and why. */
export interface SuiteProblem {
  readonly line: number;
  readonly column: number;
  /** JSON pointer into the document, e.g. `/expectations/2/column`; empty for the whole file. */
  readonly path: string;
  readonly reason: string;
}

/** A suite file was refused: every problem found, each with its line and reason. */
export class SuiteError extends Error {
  override readonly name = 'SuiteError';

  constructor(
    readonly file: string,
    readonly problems: readonly SuiteProblem[],
  ) {
    super(
      [
        `Invalid data-quality suite ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
        ...problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.reason}`),
      ].join('\n'),
    );
  }
}
