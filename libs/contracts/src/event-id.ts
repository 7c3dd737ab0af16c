import { createHash, randomUUID } from 'node:crypto';

/** Namespace of Tributary's name-based event ids (a fixed, random UUID; never change it). */
const EVENT_ID_NAMESPACE = '6f1c3f5e-2b8a-4c1e-9d7a-3e5b8c2f9a41';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** RFC 9562 UUIDv5 (SHA-1, name-based): the same name always gives the same id. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of an event that came without one. With an Idempotency-Key the id is derived from
 * (source, key, position in the request), so a retried request yields the same ids and downstream
 * dedup drops the copies. Without a key it is random: such retries cannot be deduplicated.
 */
export function deriveEventId(
  source: string,
  idempotencyKey: string | undefined,
  index: number,
): string {
  if (idempotencyKey === undefined) return randomUUID();
  return uuidV5(`${source}\n${idempotencyKey}\n${index}`, EVENT_ID_NAMESPACE);
}

/**
 * The id of a row version a connector pulled: derived from (source, table or file, primary key,
 * row version), so a re-run, a retry or an overlapping read of the same version yields the same
 * id, and a new version of the row a new one. `key` and `version` are the values as text, in
 * the primary key's column order.
 */
export function deriveRowEventId(
  source: string,
  table: string,
  key: readonly string[],
  version: string,
): string {
  return uuidV5(JSON.stringify(['row', source, table, key, version]), EVENT_ID_NAMESPACE);
}
