import { isFilterString, MAX_FILTER_STRING } from './identifiers';
import { checkKeys, describe, isRecord, join, type Problems } from './problems';
import type { PropertyType } from './view-definition';

/** Checks `filters`: each names a declared dimension and compares it with values of its type. */
export function validateFilters(
  value: unknown,
  dimensions: ReadonlyMap<string, PropertyType>,
  problems: Problems,
): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problems.add('filters', `must be a list, got ${describe(value)}`);
    return;
  }
  value.forEach((item: unknown, index) => {
    const path = `filters[${index}]`;
    if (!isRecord(item)) {
      problems.add(path, `must be an object, got ${describe(item)}`);
      return;
    }
    const type = typeof item.dimension === 'string' ? dimensions.get(item.dimension) : undefined;
    if (type === undefined) {
      problems.add(
        join(path, 'dimension'),
        `${describe(item.dimension)} is not a declared dimension of this view`,
      );
    }
    if (item.op === 'eq') {
      checkKeys(item, ['dimension', 'op', 'value'], path, problems);
      if (type !== undefined) checkValue(item.value, type, join(path, 'value'), problems);
    } else if (item.op === 'in') {
      checkKeys(item, ['dimension', 'op', 'values'], path, problems);
      const values = item.values;
      if (!Array.isArray(values) || values.length === 0) {
        problems.add(join(path, 'values'), `must be a non-empty list, got ${describe(values)}`);
      } else if (type !== undefined) {
        values.forEach((v: unknown, i) =>
          checkValue(v, type, `${join(path, 'values')}[${i}]`, problems),
        );
      }
    } else {
      problems.add(join(path, 'op'), `unsupported filter ${describe(item.op)}; expected eq or in`);
    }
  });
}

function checkValue(value: unknown, type: PropertyType, path: string, problems: Problems): void {
  switch (type) {
    case 'String':
    case 'LowCardinality(String)':
      if (typeof value !== 'string' || !isFilterString(value)) {
        problems.add(
          path,
          `must be text of at most ${MAX_FILTER_STRING} characters without control characters, got ${describe(value)}`,
        );
      }
      return;
    case 'Int64':
      if (!Number.isSafeInteger(value)) {
        problems.add(path, `must be an integer (the dimension is Int64), got ${describe(value)}`);
      }
      return;
    case 'Float64':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.add(
          path,
          `must be a finite number (the dimension is Float64), got ${describe(value)}`,
        );
      }
      return;
    case 'Bool':
      if (typeof value !== 'boolean') {
        problems.add(path, `must be true or false (the dimension is Bool), got ${describe(value)}`);
      }
      return;
  }
}
