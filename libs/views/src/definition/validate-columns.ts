import { MAX_COLUMN_NAME, NAME } from './identifiers';
import { checkKeys, describe, isRecord, join, type Problems } from './problems';
import { describeField, fieldType, validateFieldRef } from './validate-field-ref';
import {
  MEASURE_FUNCTIONS,
  NUMERIC_PROPERTY_TYPES,
  type PropertyType,
  UNIQUE_METHODS,
} from './view-definition';

/** Column names the compiled SQL uses itself. */
export const RESERVED_NAMES = ['bucket', 'event_bucket', 'ingested_bucket'] as const;

/** Checks `dimensions`; returns each usable dimension's name with its type, for the filters. */
export function validateDimensions(
  value: unknown,
  names: Set<string>,
  problems: Problems,
): Map<string, PropertyType> {
  const declared = new Map<string, PropertyType>();
  if (!Array.isArray(value)) {
    problems.add('dimensions', `must be a list (possibly empty), got ${describe(value)}`);
    return declared;
  }
  value.forEach((item: unknown, index) => {
    const path = itemPath('dimensions', item, index);
    if (!isRecord(item)) {
      problems.add(path, `must be an object, got ${describe(item)}`);
      return;
    }
    checkKeys(item, ['name', 'field', 'property', 'type'], path, problems);
    const name = checkColumnName(item.name, path, names, problems);
    const ref = validateFieldRef(item, path, problems);
    if (name !== undefined && ref !== undefined) declared.set(name, fieldType(ref));
  });
  return declared;
}

/** Checks `measures`: at least one; sum/min/max only on numeric properties; unique with a method. */
export function validateMeasures(value: unknown, names: Set<string>, problems: Problems): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add('measures', `must be a non-empty list, got ${describe(value)}`);
    return;
  }
  value.forEach((item: unknown, index) => {
    const path = itemPath('measures', item, index);
    if (!isRecord(item)) {
      problems.add(path, `must be an object, got ${describe(item)}`);
      return;
    }
    checkColumnName(item.name, path, names, problems);
    const fn = item.fn;
    if (!(MEASURE_FUNCTIONS as readonly unknown[]).includes(fn)) {
      problems.add(
        join(path, 'fn'),
        `unsupported measure ${describe(fn)}; expected one of ${MEASURE_FUNCTIONS.join(', ')}`,
      );
      return;
    }
    if (fn === 'count') {
      checkKeys(item, ['name', 'fn'], path, problems);
      return;
    }
    checkKeys(
      item,
      fn === 'unique' ? ['name', 'fn', 'of', 'method'] : ['name', 'fn', 'of'],
      path,
      problems,
    );
    const ofPath = join(path, 'of');
    if (!isRecord(item.of)) {
      problems.add(ofPath, `${String(fn)} needs a field to read, got ${describe(item.of)}`);
    } else {
      checkKeys(item.of, ['field', 'property', 'type'], ofPath, problems);
      const ref = validateFieldRef(item.of, ofPath, problems);
      if (
        ref !== undefined &&
        fn !== 'unique' &&
        !NUMERIC_PROPERTY_TYPES.includes(fieldType(ref))
      ) {
        problems.add(
          ofPath,
          `${String(fn)} needs a numeric property (${NUMERIC_PROPERTY_TYPES.join(' or ')}), got ${describeField(ref)}`,
        );
      }
    }
    if (fn === 'unique' && !(UNIQUE_METHODS as readonly unknown[]).includes(item.method)) {
      problems.add(
        join(path, 'method'),
        `a unique count needs a method, one of ${UNIQUE_METHODS.join(' (uniqExact), ')} (uniqCombined64, mergeable); got ${describe(item.method)}`,
      );
    }
  });
}

function checkColumnName(
  value: unknown,
  path: string,
  names: Set<string>,
  problems: Problems,
): string | undefined {
  if (typeof value !== 'string' || !NAME.test(value) || value.length > MAX_COLUMN_NAME) {
    problems.add(
      join(path, 'name'),
      `${describe(value)} is not a valid name: use [a-z][a-z0-9_]*, at most ${MAX_COLUMN_NAME} characters`,
    );
    return undefined;
  }
  if ((RESERVED_NAMES as readonly string[]).includes(value)) {
    problems.add(
      join(path, 'name'),
      `'${value}' is reserved (${RESERVED_NAMES.join(', ')} are columns of the compiled SQL)`,
    );
    return undefined;
  }
  if (names.has(value)) {
    problems.add(
      join(path, 'name'),
      `duplicate name '${value}': dimension and measure names must be unique within a view`,
    );
    return undefined;
  }
  names.add(value);
  return value;
}

/** `dimensions.currency` when the item has a usable name, else `dimensions[2]`. */
export function itemPath(list: string, item: unknown, index: number): string {
  const name = isRecord(item) ? item.name : undefined;
  return typeof name === 'string' && NAME.test(name) ? `${list}.${name}` : `${list}[${index}]`;
}
