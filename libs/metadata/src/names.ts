/**
 * Name rules the metadata tables enforce with CHECK constraints, as regular expressions so code can
 * refuse a bad name with a clear message before it reaches the database. Migrations spell the SQL
 * out literally (a shipped migration never changes); registry-tables.int-spec.ts keeps both in step.
 */

/** `sources.name`: `checkout-web`, `billing.v2`. */
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** `event_types.name`: dot-separated lower-case segments, `order.placed`, `cart.item_added`. */
export const EVENT_TYPE_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
export const EVENT_TYPE_NAME_MAX_LENGTH = 128;

/** `api_keys.key_id`: 12 characters of lower-case RFC 4648 base32 (60 random bits). */
export const API_KEY_ID_PATTERN = /^[a-z2-7]{12}$/;

export function isSourceName(name: string): boolean {
  return SOURCE_NAME_PATTERN.test(name);
}

export function isEventTypeName(name: string): boolean {
  return name.length <= EVENT_TYPE_NAME_MAX_LENGTH && EVENT_TYPE_NAME_PATTERN.test(name);
}
