import { at, pointer } from './json-pointer';
import {
  allowedValuesOf,
  includesValue,
  isPlainObject,
  propertiesOf,
  requiredOf,
  type SchemaObject,
  typesOf,
} from './schema-node';

/**
 * One backward-compatibility rule, applied to a pair of matching schema nodes (the latest version's
 * and the candidate's, at the same place). It returns one reason per problem, each led by a JSON
 * pointer into the candidate schema. The walk in compatibility.ts applies every rule at every node.
 *
 * "Backward compatible" here means: an event valid under the previous version stays valid, and
 * what consumers could rely on (required fields) stays there.
 */
export interface CompatibilityRule {
  name: string;
  check(previous: SchemaObject, next: SchemaObject, where: string): string[];
}

/** Events that lack the property were valid; with a default, ajv fills it in (useDefaults). */
export const newRequiredWithoutDefault: CompatibilityRule = {
  name: 'new required property without a default',
  check(previous, next, where) {
    const before = requiredOf(previous);
    const properties = propertiesOf(next);
    return requiredOf(next)
      .filter((name) => !before.includes(name))
      .filter((name) => !(isPlainObject(properties[name]) && 'default' in properties[name]))
      .map((name) =>
        at(
          pointer(where, 'properties', name),
          `"${name}" is newly required and has no default; events without it were valid`,
        ),
      );
  },
};

/** Consumers may rely on a required property being there. */
export const requiredRemoved: CompatibilityRule = {
  name: 'required property removed',
  check(previous, next, where) {
    const after = requiredOf(next);
    const properties = propertiesOf(next);
    return requiredOf(previous)
      .filter((name) => !after.includes(name))
      .map((name) =>
        name in properties
          ? at(pointer(where, 'required'), `"${name}" is no longer required; consumers rely on it`)
          : at(pointer(where, 'properties', name), `required property "${name}" was removed`),
      );
  },
};

/** `number` also accepts every integer, so integer → number widens; the reverse narrows. */
export const typeNarrowed: CompatibilityRule = {
  name: 'type narrowed',
  check(previous, next, where) {
    const after = typesOf(next);
    if (!after) return [];
    const before = typesOf(previous);
    const shown = (types: string[]) => (types.length === 1 ? types[0] : `[${types.join(', ')}]`);
    if (!before) {
      return [at(pointer(where, 'type'), `type ${shown(after)} added where any type was accepted`)];
    }
    const covered = (type: string) =>
      after.includes(type) || (type === 'integer' && after.includes('number'));
    const lost = before.filter((type) => !covered(type));
    if (lost.length === 0) return [];
    return [
      at(
        pointer(where, 'type'),
        `type narrowed from ${shown(before)} to ${shown(after)}: ${lost.join(', ')} no longer accepted`,
      ),
    ];
  },
};

/** `const` counts as a one-value enum. Adding an enum where any value was allowed narrows too. */
export const enumValueRemoved: CompatibilityRule = {
  name: 'enum value removed',
  check(previous, next, where) {
    const after = allowedValuesOf(next);
    if (!after) return [];
    const keyword = Array.isArray(next.enum) ? 'enum' : 'const';
    const before = allowedValuesOf(previous);
    if (!before)
      return [at(pointer(where, keyword), `${keyword} added where any value was accepted`)];
    return before
      .filter((value) => !includesValue(after, value))
      .map((value) => at(pointer(where, keyword), `value ${JSON.stringify(value)} was removed`));
  },
};

/** Closing an object refuses the extra properties events carried; so does dropping a declared one. */
export const additionalPropertiesClosed: CompatibilityRule = {
  name: 'additional properties no longer allowed',
  check(previous, next, where) {
    if (next.additionalProperties !== false) return [];
    if (previous.additionalProperties !== false) {
      return [
        at(
          pointer(where, 'additionalProperties'),
          'changed to false; properties that were allowed before are now refused',
        ),
      ];
    }
    const kept = propertiesOf(next);
    const required = requiredOf(previous); // a removed required one is reported by requiredRemoved
    return Object.keys(propertiesOf(previous))
      .filter((name) => !(name in kept) && !required.includes(name))
      .map((name) =>
        at(
          pointer(where, 'properties', name),
          `property "${name}" was removed while additionalProperties is false; events with it are now refused`,
        ),
      );
  },
};

const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];

/** A lower maximum or a higher minimum (or a bound where there was none) refuses old values. */
export const boundNarrowed: CompatibilityRule = {
  name: 'bound narrowed',
  check(previous, next, where) {
    const reasons: string[] = [];
    const compare = (keyword: string, narrower: (after: number, before: number) => boolean) => {
      const after = next[keyword];
      const before = previous[keyword];
      if (typeof after !== 'number') return;
      if (typeof before !== 'number') {
        reasons.push(
          at(pointer(where, keyword), `${keyword} ${after} added where there was no limit`),
        );
      } else if (narrower(after, before)) {
        const verb = after < before ? 'lowered' : 'raised';
        reasons.push(at(pointer(where, keyword), `${keyword} ${verb} from ${before} to ${after}`));
      }
    };
    UPPER_BOUNDS.forEach((keyword) => compare(keyword, (after, before) => after < before));
    LOWER_BOUNDS.forEach((keyword) => compare(keyword, (after, before) => after > before));
    return reasons;
  },
};

/** Every rule, in the order their reasons are listed. */
export const compatibilityRules: readonly CompatibilityRule[] = [
  newRequiredWithoutDefault,
  requiredRemoved,
  typeNarrowed,
  enumValueRemoved,
  additionalPropertiesClosed,
  boundNarrowed,
];
