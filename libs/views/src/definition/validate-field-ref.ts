import { MAX_PROPERTY_DEPTH, PROPERTY_SEGMENT, propertySegments } from './identifiers';
import { describe, join, type Problems } from './problems';
import {
  ENVELOPE_FIELDS,
  type EnvelopeField,
  type EnvelopeFieldRef,
  type FieldRef,
  PROPERTY_TYPES,
  type PropertyType,
} from './view-definition';

/**
 * Checks a field reference (`{field}` or `{property, type}`) found at `path` inside an object that
 * may carry other keys (a dimension's `name`); returns it when it is usable.
 */
export function validateFieldRef(
  value: Record<string, unknown>,
  path: string,
  problems: Problems,
): FieldRef | undefined {
  const hasField = 'field' in value;
  const hasProperty = 'property' in value;
  if (hasField === hasProperty) {
    problems.add(
      path,
      `needs exactly one of 'field' (${ENVELOPE_FIELDS.join(', ')}) or 'property' (a path into properties, with a type)`,
    );
    return undefined;
  }
  if (hasField) {
    if ('type' in value) {
      problems.add(join(path, 'type'), 'only a property takes a type; envelope fields have theirs');
    }
    if (!(ENVELOPE_FIELDS as readonly unknown[]).includes(value.field)) {
      problems.add(
        join(path, 'field'),
        `unknown envelope field ${describe(value.field)}; expected one of ${ENVELOPE_FIELDS.join(', ')}, or a property path with a type`,
      );
      return undefined;
    }
    return { field: value.field as EnvelopeField };
  }
  const property = checkPropertyPath(value.property, join(path, 'property'), problems);
  if (!(PROPERTY_TYPES as readonly unknown[]).includes(value.type)) {
    problems.add(
      join(path, 'type'),
      `unsupported property type ${describe(value.type)}; expected one of ${PROPERTY_TYPES.join(', ')}`,
    );
    return undefined;
  }
  return property === undefined ? undefined : { property, type: value.type as PropertyType };
}

function checkPropertyPath(value: unknown, path: string, problems: Problems): string | undefined {
  if (typeof value !== 'string') {
    problems.add(path, `must be a path such as 'cart.total', got ${describe(value)}`);
    return undefined;
  }
  const segments = propertySegments(value);
  if (segments.length > MAX_PROPERTY_DEPTH || !segments.every((s) => PROPERTY_SEGMENT.test(s))) {
    problems.add(
      path,
      `${describe(value)} is not a valid property path: up to ${MAX_PROPERTY_DEPTH} segments of [A-Za-z_][A-Za-z0-9_]* separated by dots`,
    );
    return undefined;
  }
  return value;
}

export function isEnvelope(ref: FieldRef): ref is EnvelopeFieldRef {
  return 'field' in ref;
}

/** How a field reads in messages: `envelope field 'type'`, `property 'amount' (String)`. */
export function describeField(ref: FieldRef): string {
  return isEnvelope(ref)
    ? `envelope field '${ref.field}'`
    : `property '${ref.property}' of type ${ref.type}`;
}

/** The declared type a field's values have. Envelope fields are text. */
export function fieldType(ref: FieldRef): PropertyType {
  if (isEnvelope(ref)) return ref.field === 'subject_id' ? 'String' : 'LowCardinality(String)';
  return ref.type;
}
