const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUIRED = [
  'event_id',
  'type',
  'occurred_at',
  'properties',
  '_ingested_at',
  '_source',
] as const;

/** A StoredEvent as read from a Kafka record: the envelope and server fields, loosely typed. */
export type DecodedEvent = Record<string, unknown> & { properties?: unknown };

/** A row with events_rt's columns (properties as JSON text, plus its Kafka position). */
export type EventRow = Record<string, unknown> & { event_id: unknown };

/** The StoredEvent in a record's value, or why there is none (the reason the DLQ carries). */
export function decodeStoredEvent(value: Buffer | null): DecodedEvent | string {
  return decodeStoredEventText(value?.toString('utf8'));
}

/** The same, for a record's value already read as text. */
export function decodeStoredEventText(text: string | undefined): DecodedEvent | string {
  if (text === undefined) return 'empty record';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'not a JSON object';
  const event = parsed as Record<string, unknown>;
  const missing = REQUIRED.filter((field) => event[field] === undefined);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  if (typeof event.event_id !== 'string' || !UUID.test(event.event_id))
    return 'event_id is not a UUID';
  return event as DecodedEvent;
}

/** The events_rt row of a decoded event at a Kafka position. */
export function toEventRow(event: DecodedEvent, partition: number, offset: string): EventRow {
  return {
    ...event,
    event_id: event.event_id,
    properties: JSON.stringify(event.properties ?? {}),
    _kafka_partition: partition,
    _kafka_offset: offset,
  };
}
