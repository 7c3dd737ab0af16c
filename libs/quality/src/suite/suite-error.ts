import { type YamlProblem, yamlRefusal } from './yaml-problems';

/** One thing wrong with a suite file, where it is (1-based line and column) and why. */
export type SuiteProblem = YamlProblem;

/** A suite file was refused: every problem found, each with its line and reason. */
export class SuiteError extends Error {
  override readonly name = 'SuiteError';

  constructor(
    readonly file: string,
    readonly problems: readonly SuiteProblem[],
  ) {
    super(yamlRefusal('data-quality suite', file, problems));
  }
}
