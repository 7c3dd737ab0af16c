/** Accepted events, keyed by `subject_id` (else `event_id`): one subject stays on one partition. */
export const EVENTS_TOPIC = 'tributary.events.v1';

/** Refused events with their reasons and original payload, replayable after a fix. */
export const DLQ_TOPIC = 'tributary.events.dlq.v1';

/** Kafka header names every published event carries. */
export const EVENT_HEADERS = {
  correlationId: 'correlation-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  contentType: 'content-type',
  /** `type@version` of the schema the event was validated against. */
  schema: 'schema',
} as const;
