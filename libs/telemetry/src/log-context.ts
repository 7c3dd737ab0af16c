import { isSpanContextValid, trace } from '@opentelemetry/api';
import { currentCorrelationId } from './correlation-context';

/** The fields every log line carries (snake_case, as in the JSON logs). */
export interface LogContext {
  correlation_id?: string;
  trace_id?: string;
  span_id?: string;
}

/**
 * What a log line needs to be joined with its request and trace: meant for the logger's mixin,
 * called once per line. Keys without a value are left out rather than set to `undefined`.
 */
export function currentLogContext(): LogContext {
  const fields: LogContext = {};
  const correlationId = currentCorrelationId();
  if (correlationId !== undefined) fields.correlation_id = correlationId;
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) {
    fields.trace_id = spanContext.traceId;
    fields.span_id = spanContext.spanId;
  }
  return fields;
}
