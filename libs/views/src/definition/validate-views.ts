import { isRecord } from './problems';
import { viewProblems } from './validate-view';
import type { ViewDefinition } from './view-definition';
import { ViewDefinitionError, type ViewProblem } from './view-definition-error';

const validated = new WeakSet<object>();

/**
 * Start-up check of a set of view definitions: refuses the whole set with one error that names
 * every problem (view, place in the definition, reason), or returns the definitions unchanged.
 * Accepts `unknown` so definitions read from a file get the same checks as typed ones.
 */
export function validateViews(definitions: readonly unknown[]): readonly ViewDefinition[] {
  const problems: ViewProblem[] = [];
  const names = new Map<string, number>();
  definitions.forEach((definition, index) => {
    const label = viewLabel(definition, index);
    for (const { path, message } of viewProblems(definition).items) {
      problems.push({ view: label, path, message });
    }
    if (isRecord(definition) && typeof definition.name === 'string') {
      const first = names.get(definition.name);
      if (first !== undefined) {
        problems.push({
          view: label,
          path: 'name',
          message: `duplicate view name (also views[${first}])`,
        });
      } else {
        names.set(definition.name, index);
      }
    }
  });
  if (problems.length > 0) throw new ViewDefinitionError(problems);
  for (const definition of definitions) validated.add(definition as object);
  return definitions as readonly ViewDefinition[];
}

/** Throws ViewDefinitionError unless `view` is valid; cheap for a view already validated. */
export function assertValidView(view: ViewDefinition): void {
  if (!validated.has(view)) validateViews([view]);
}

function viewLabel(definition: unknown, index: number): string {
  return isRecord(definition) && typeof definition.name === 'string' && definition.name !== ''
    ? definition.name
    : `views[${index}]`;
}
