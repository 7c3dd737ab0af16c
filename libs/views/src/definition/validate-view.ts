import { EVENT_TYPE, MAX_EVENT_TYPE, MAX_VIEW_NAME, NAME } from './identifiers';
import { checkKeys, describe, isRecord, Problems } from './problems';
import { validateDimensions, validateMeasures } from './validate-columns';
import { validateFilters } from './validate-filters';
import { GRAINS } from './view-definition';

export const MAX_RETENTION_DAYS = 3650;

const VIEW_KEYS = [
  'name',
  'description',
  'eventTypes',
  'filters',
  'dimensions',
  'measures',
  'grains',
  'retentionDays',
];

/** Every problem of one definition, as `path: message` pairs (empty when it is valid). */
export function viewProblems(definition: unknown): Problems {
  const problems = new Problems();
  if (!isRecord(definition)) {
    problems.add('(definition)', `must be an object, got ${describe(definition)}`);
    return problems;
  }
  checkKeys(definition, VIEW_KEYS, '', problems);
  const { name } = definition;
  if (typeof name !== 'string' || !NAME.test(name) || name.length > MAX_VIEW_NAME) {
    problems.add(
      'name',
      `${describe(name)} is not a valid view name: use [a-z][a-z0-9_]*, at most ${MAX_VIEW_NAME} characters`,
    );
  }
  if (definition.description !== undefined && typeof definition.description !== 'string') {
    problems.add('description', `must be text, got ${describe(definition.description)}`);
  }
  checkEventTypes(definition.eventTypes, problems);
  const names = new Set<string>();
  const dimensions = validateDimensions(definition.dimensions, names, problems);
  validateMeasures(definition.measures, names, problems);
  validateFilters(definition.filters, dimensions, problems);
  checkGrains(definition.grains, problems);
  const retention = definition.retentionDays;
  if (
    !Number.isInteger(retention) ||
    (retention as number) < 1 ||
    (retention as number) > MAX_RETENTION_DAYS
  ) {
    problems.add(
      'retentionDays',
      `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${describe(retention)}`,
    );
  }
  return problems;
}

function checkEventTypes(value: unknown, problems: Problems): void {
  if (!Array.isArray(value)) {
    problems.add(
      'eventTypes',
      `must be a list of event types (empty: all), got ${describe(value)}`,
    );
    return;
  }
  const seen = new Set<unknown>();
  value.forEach((type: unknown, index) => {
    const path = `eventTypes[${index}]`;
    if (typeof type !== 'string' || !EVENT_TYPE.test(type) || type.length > MAX_EVENT_TYPE) {
      problems.add(path, `${describe(type)} is not an event type such as 'order.placed'`);
    } else if (seen.has(type)) {
      problems.add(path, `duplicate event type '${type}'`);
    }
    seen.add(type);
  });
}

function checkGrains(value: unknown, problems: Problems): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(
      'grains',
      `must be a non-empty list of ${GRAINS.join(', ')}, got ${describe(value)}`,
    );
    return;
  }
  const seen = new Set<unknown>();
  value.forEach((grain: unknown, index) => {
    const path = `grains[${index}]`;
    if (!(GRAINS as readonly unknown[]).includes(grain)) {
      problems.add(
        path,
        `unsupported grain ${describe(grain)}; expected one of ${GRAINS.join(', ')}`,
      );
    } else if (seen.has(grain)) {
      problems.add(path, `duplicate grain '${String(grain)}'`);
    }
    seen.add(grain);
  });
}
