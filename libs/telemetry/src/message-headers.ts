import {
  context,
  type Context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import { currentCorrelationId } from './correlation-context';
import { sanitizeCorrelationId } from './correlation-id';
import { CORRELATION_ID_MESSAGE_HEADER } from './names';

/**
 * Kafka message headers as kafkajs types them (`IHeaders`): produced headers are strings or
 * Buffers, consumed ones arrive as Buffers (arrays when a key repeats). Structural, so this lib
 * needs no kafkajs import.
 */
export type MessageHeaders = Record<string, string | Buffer | Array<string | Buffer> | undefined>;

/** The trace headers the W3C propagator writes; stale copies are dropped before injecting. */
const TRACE_HEADERS = ['traceparent', 'tracestate'];

/**
 * A copy of `headers` with the current trace context (`traceparent`, and `tracestate` when the
 * span has one) and the current correlation id (`correlation-id`) added, for a message about to be
 * produced. Trace headers come from the global propagator and the active context, so they always
 * describe the producing span; an explicit `correlation-id` in `headers` is kept.
 */
export function injectMessageHeaders(headers: MessageHeaders = {}): MessageHeaders {
  const result: MessageHeaders = { ...headers };
  for (const name of TRACE_HEADERS) delete result[name];
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  Object.assign(result, carrier);
  const correlationId = currentCorrelationId();
  if (correlationId !== undefined && result[CORRELATION_ID_MESSAGE_HEADER] === undefined) {
    result[CORRELATION_ID_MESSAGE_HEADER] = correlationId;
  }
  return result;
}

/** What a consumed message carries: its producer's context and its correlation id. */
export interface MessageContext {
  /** ROOT_CONTEXT plus whatever the propagator extracted (the producer span, baggage). */
  context: Context;
  /** The producer span's context, when the headers held a valid `traceparent`. */
  spanContext?: SpanContext;
  /** The message's correlation id, when present and sane. */
  correlationId?: string;
}

/**
 * Reads the producer's trace context and correlation id from consumed message headers. Starts
 * from ROOT_CONTEXT, so whatever happens to be active in the consumer loop never leaks in.
 */
export function extractMessageContext(headers: MessageHeaders | undefined): MessageContext {
  const carrier = headers ?? {};
  const extracted = propagation.extract(ROOT_CONTEXT, carrier, headerGetter);
  const spanContext = trace.getSpanContext(extracted);
  return {
    context: extracted,
    spanContext: spanContext && isSpanContextValid(spanContext) ? spanContext : undefined,
    correlationId: sanitizeCorrelationId(headerValue(carrier, CORRELATION_ID_MESSAGE_HEADER)),
  };
}

/** Reads header values as strings; the first value wins when a key repeats. */
const headerGetter: TextMapGetter<MessageHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => headerValue(carrier, key),
};

function headerValue(headers: MessageHeaders, key: string): string | undefined {
  const raw = headers[key];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : first.toString();
}
