import type { StoredEvent } from '@tributary/contracts';
import { propertySegments } from '../definition/identifiers';
import { isEnvelope } from '../definition/validate-field-ref';
import type { FieldRef } from '../definition/view-definition';

/** A value as the compiled SQL sees it: Int64 as bigint, Float64 as number. */
export type FieldValue = string | number | bigint | boolean;

const INT64_LIMIT = 2n ** 63n;

/**
 * The value of a field for one event, or null when it has none: a missing property, or one whose
 * JSON type does not match the declared type — the same rule the compiled SQL applies.
 */
export function fieldValue(ref: FieldRef, event: StoredEvent): FieldValue | null {
  if (isEnvelope(ref)) return event[ref.field];
  let value: unknown = event.properties;
  for (const segment of propertySegments(ref.property)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[segment];
  }
  switch (ref.type) {
    case 'String':
    case 'LowCardinality(String)':
      return typeof value === 'string' ? value : null;
    case 'Int64': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return null;
      const integer = BigInt(value);
      return integer >= -INT64_LIMIT && integer < INT64_LIMIT ? integer : null;
    }
    case 'Float64':
      return typeof value === 'number' ? value : null;
    case 'Bool':
      return typeof value === 'boolean' ? value : null;
  }
}

/** A dimension's value: a field without a value reads as its type's default. */
export function dimensionValue(ref: FieldRef, event: StoredEvent): FieldValue {
  const value = fieldValue(ref, event);
  if (value !== null) return value;
  if (isEnvelope(ref)) return '';
  switch (ref.type) {
    case 'String':
    case 'LowCardinality(String)':
      return '';
    case 'Int64':
      return 0n;
    case 'Float64':
      return 0;
    case 'Bool':
      return false;
  }
}

/** How ClickHouse prints a value in JSON with 64-bit integers quoted. */
export function toJsonValue(value: FieldValue | null): string | number | boolean | null {
  return typeof value === 'bigint' ? value.toString() : value;
}
