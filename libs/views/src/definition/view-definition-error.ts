/** One thing wrong with a view definition: which view, where in it, and why. */
export interface ViewProblem {
  /** The view's name, or `views[i]` when it has no usable name. */
  readonly view: string;
  /** Where in the definition, e.g. `measures.revenue.of`. */
  readonly path: string;
  readonly message: string;
}

/** Every problem of every refused definition, in one error, so one start-up names them all. */
export class ViewDefinitionError extends Error {
  override readonly name = 'ViewDefinitionError';

  constructor(readonly problems: readonly ViewProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      [
        `Invalid view definitions (${count}):`,
        ...problems.map((p) => `- view '${p.view}' ${p.path}: ${p.message}`),
      ].join('\n'),
    );
  }
}
