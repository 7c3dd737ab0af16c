/**
 * The wire names of Tributary's telemetry contract (docs/architecture.md, Observability). They
 * cross process boundaries — HTTP clients, Kafka consumers in other services, Jaeger queries — so
 * they live in one place and never change casually.
 */

/** HTTP request and response header that carries the correlation id. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Kafka message header that carries the correlation id (next to `traceparent`, `tracestate`). */
export const CORRELATION_ID_MESSAGE_HEADER = 'correlation-id';

/** Span attribute with the correlation id, so a trace can be found from a log line or a row. */
export const CORRELATION_ID_ATTRIBUTE = 'tributary.correlation_id';

/** On a batch consumer span: the distinct correlation ids of its messages (capped). */
export const CORRELATION_IDS_ATTRIBUTE = 'tributary.correlation_ids';
