import { compatibilityRules } from './compatibility-rules';
import { at, pointer } from './json-pointer';
import { ACCEPTS_ANYTHING, isPlainObject, propertiesOf, schemaObject } from './schema-node';

/**
 * Every reason why `next` is not backward compatible with `previous` (empty: compatible). Walks both
 * schemas side by side: each rule at each node, then into properties present in both, array
 * `items` and `prefixItems`, and object-valued `additionalProperties`. Not analysed: `$ref`,
 * combinators (`allOf`/`anyOf`/`oneOf`/`not`), conditionals, `pattern`, `format`, `multipleOf`.
 */
export function backwardIncompatibilities(previous: unknown, next: unknown): string[] {
  const reasons: string[] = [];
  walk(previous, next, '', reasons);
  return [...new Set(reasons)];
}

function walk(
  previousSchema: unknown,
  nextSchema: unknown,
  where: string,
  reasons: string[],
): void {
  const previous = schemaObject(previousSchema);
  const next = schemaObject(nextSchema);
  if (previous === false) return; // nothing was valid, so nothing can break
  if (next === false) {
    reasons.push(at(where, 'now accepts nothing (false schema)'));
    return;
  }
  for (const rule of compatibilityRules) reasons.push(...rule.check(previous, next, where));

  // In the candidate's order: that is the file its author is looking at (jsonb reorders keys).
  const previousProperties = propertiesOf(previous);
  for (const [name, schema] of Object.entries(propertiesOf(next))) {
    if (name in previousProperties) {
      walk(previousProperties[name], schema, pointer(where, 'properties', name), reasons);
    }
  }
  // No `items` meant any element; adding one constrains the elements that were valid.
  if (next.items !== undefined) {
    walk(previous.items ?? ACCEPTS_ANYTHING, next.items, pointer(where, 'items'), reasons);
  }
  if (Array.isArray(previous.prefixItems) && Array.isArray(next.prefixItems)) {
    const shared = Math.min(previous.prefixItems.length, next.prefixItems.length);
    for (let i = 0; i < shared; i++) {
      walk(previous.prefixItems[i], next.prefixItems[i], pointer(where, 'prefixItems', i), reasons);
    }
  }
  if (isPlainObject(previous.additionalProperties) && isPlainObject(next.additionalProperties)) {
    walk(
      previous.additionalProperties,
      next.additionalProperties,
      pointer(where, 'additionalProperties'),
      reasons,
    );
  }
}
