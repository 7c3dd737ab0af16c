/** What an upstream app sends for one event (ARCHITECTURE, "Event envelope"). */
export interface ClientEnvelope {
  /** UUID; derived from Idempotency-Key or generated when absent (see deriveEventId). */
  event_id?: string;
  /** Registered event type, e.g. `order.placed`. */
  type: string;
  /** Registered version of the type's schema; the latest when absent. */
  schema_version?: number;
  /** Event time, ISO-8601 with a time zone. */
  occurred_at: string;
  /** Partition key, e.g. a user id; events of one subject keep their order. */
  subject_id?: string;
  /** Validated against the type's JSON Schema. */
  properties: Record<string, unknown>;
}

/** An accepted event as it travels on the bus and lands in the stores. */
export interface StoredEvent {
  event_id: string;
  type: string;
  /** The version the client asked for, if any. */
  schema_version: number | null;
  /** Event time, normalised to UTC ISO-8601 with milliseconds. */
  occurred_at: string;
  subject_id: string | null;
  properties: Record<string, unknown>;
  /** Ingestion time (UTC ISO-8601): what batch cuts and the real-time boundary use. */
  _ingested_at: string;
  /** Source name, from the API key (never from the body). */
  _source: string;
  _correlation_id: string;
  /** Version of the schema that validated `properties`. */
  _schema_version: number;
  /** When a connector read the row from its source (pulled events only). */
  _extracted_at?: string;
}

/** The fields a client may send; anything else is refused by name, never silently dropped. */
export const CLIENT_FIELDS = [
  'event_id',
  'type',
  'schema_version',
  'occurred_at',
  'subject_id',
  'properties',
] as const;
