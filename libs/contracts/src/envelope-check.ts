import { CLIENT_FIELDS, type ClientEnvelope } from './envelope';
import { isUuid } from './event-id';
import type { ItemError } from './item-result';

export interface EnvelopeLimits {
  /** How far in the future occurred_at may be, in milliseconds. */
  maxFutureSkewMs: number;
  now: Date;
}

export type EnvelopeCheck =
  { ok: true; envelope: ClientEnvelope; occurredAt: Date } | { ok: false; errors: ItemError[] };

const TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
/** ISO-8601 date-time with an explicit zone: `2026-11-26T10:00:00Z`, `…+01:00`, fractions allowed. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const EARLIEST = Date.UTC(1970, 0, 1);
const CLIENT_FIELD_SET: ReadonlySet<string> = new Set(CLIENT_FIELDS);

/**
 * Checks one item's envelope (not its properties: the schema registry does that) and reports every
 * problem at once, each with a JSON pointer, so a developer fixes an event in one round trip.
 */
export function checkEnvelope(item: unknown, limits: EnvelopeLimits): EnvelopeCheck {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      ok: false,
      errors: [
        {
          code: 'not_an_object',
          pointer: '',
          message: `an event must be a JSON object, got ${describe(item)}`,
        },
      ],
    };
  }
  const event = item as Record<string, unknown>;
  const errors: ItemError[] = [];
  for (const field of Object.keys(event)) {
    if (field.startsWith('_')) {
      errors.push({
        code: 'reserved_field',
        pointer: pointer(field),
        message: `'${field}' is set by the server; leave fields starting with '_' out`,
      });
    } else if (!CLIENT_FIELD_SET.has(field)) {
      const hint = closest(field);
      errors.push({
        code: 'unknown_field',
        pointer: pointer(field),
        message: `unknown field '${field}'${hint ? `; did you mean '${hint}'?` : ''}`,
      });
    }
  }
  if (
    event.event_id !== undefined &&
    (typeof event.event_id !== 'string' || !isUuid(event.event_id))
  ) {
    errors.push(invalid('event_id', 'must be a UUID such as 3f2b8c1e-6a4d-4f7e-9b1a-2c3d4e5f6a7b'));
  }
  if (event.type === undefined) errors.push(missing('type'));
  else if (typeof event.type !== 'string' || event.type.length > 128 || !TYPE.test(event.type)) {
    errors.push(
      invalid(
        'type',
        "must be a registered event type such as 'order.placed' (lowercase words separated by dots)",
      ),
    );
  }
  if (
    event.schema_version !== undefined &&
    !(Number.isInteger(event.schema_version) && (event.schema_version as number) >= 1)
  ) {
    errors.push(
      invalid('schema_version', 'must be a positive integer, or left out for the latest version'),
    );
  }
  const occurredAt = checkOccurredAt(event.occurred_at, limits, errors);
  if (
    event.subject_id !== undefined &&
    (typeof event.subject_id !== 'string' ||
      event.subject_id.length === 0 ||
      event.subject_id.length > 256)
  ) {
    errors.push(invalid('subject_id', 'must be a string of 1 to 256 characters'));
  }
  if (event.properties === undefined) errors.push(missing('properties'));
  else if (
    typeof event.properties !== 'object' ||
    event.properties === null ||
    Array.isArray(event.properties)
  ) {
    errors.push(invalid('properties', `must be a JSON object, got ${describe(event.properties)}`));
  }
  if (errors.length > 0 || occurredAt === undefined) return { ok: false, errors };
  return { ok: true, envelope: event as unknown as ClientEnvelope, occurredAt };
}

function checkOccurredAt(
  value: unknown,
  limits: EnvelopeLimits,
  errors: ItemError[],
): Date | undefined {
  if (value === undefined) {
    errors.push(missing('occurred_at'));
    return undefined;
  }
  const parsed = typeof value === 'string' && TIMESTAMP.test(value) ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.getTime() < EARLIEST) {
    errors.push({
      code: 'invalid_timestamp',
      pointer: '/occurred_at',
      message: `must be an ISO-8601 date-time with a time zone after 1970, such as 2026-11-26T10:00:00Z; got ${describe(value)}`,
    });
    return undefined;
  }
  const aheadMs = parsed.getTime() - limits.now.getTime();
  if (aheadMs > limits.maxFutureSkewMs) {
    errors.push({
      code: 'occurred_at_in_future',
      pointer: '/occurred_at',
      message: `is ${Math.round(aheadMs / 1000)} s in the future; at most ${Math.round(limits.maxFutureSkewMs / 1000)} s of clock skew is allowed`,
    });
    return undefined;
  }
  return parsed;
}

const pointer = (field: string) => `/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
const missing = (field: string): ItemError => ({
  code: 'missing_field',
  pointer: pointer(field),
  message: `'${field}' is required`,
});
const invalid = (field: string, message: string): ItemError => ({
  code: 'invalid_field',
  pointer: pointer(field),
  message: `'${field}' ${message}`,
});

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** The client field within two edits of a typo (`ocurred_at` → `occurred_at`), if any. */
function closest(field: string): string | undefined {
  return CLIENT_FIELDS.find((candidate) => editDistance(field.toLowerCase(), candidate) <= 2);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
