import {
  context,
  isSpanContextValid,
  type Attributes,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { MAX_BATCH_CORRELATION_IDS, runAndEnd, spanLinks } from './consumer-span';
import { currentCorrelationId } from './correlation-context';
import { CORRELATION_IDS_ATTRIBUTE } from './names';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from './semconv';
import { TRACER_NAME } from './tracer';

/** Who published: the active (producer) span and the correlation id, captured at publish time. */
export interface Publisher {
  spanContext?: SpanContext;
  correlationId?: string;
}

/**
 * The current span and correlation id, for a publish that a shared write sends later: records
 * carry the caller's trace context already (injectMessageHeaders), the write links back to it.
 */
export function currentPublisher(): Publisher {
  const spanContext = trace.getSpanContext(context.active());
  return {
    spanContext: spanContext && isSpanContextValid(spanContext) ? spanContext : undefined,
    correlationId: currentCorrelationId(),
  };
}

export interface SendSpanInput {
  /** Topics with records in this write; a single one names the span (`send <topic>`). */
  topics: readonly string[];
  /** Records in this write, all topics together. */
  messageCount: number;
  /** The publishes whose records this write carries, in order. */
  publishers: readonly Publisher[];
}

/**
 * Runs one write that carries the records of several publishes (group commit) in a CLIENT span
 * `send <topic>` — one span per write, whatever the number of records. The records' trace context
 * is their publisher's producer span (the messaging conventions' creation context), so this span
 * has no parent and links to each distinct publisher span instead: the writes' ambient context
 * is whichever request happened to trigger it, which is not a cause of the others' records.
 *
 * Tracing is suppressed inside `fn`: client instrumentation (kafkajs) neither starts a span per
 * record nor rewrites the records' `traceparent` with a context of its own.
 */
export async function runInSendSpan<T>(input: SendSpanInput, fn: () => Promise<T>): Promise<T> {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_SEND,
    [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_TYPE_VALUE_SEND,
    [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: input.messageCount,
  };
  if (input.topics.length === 1) attributes[ATTR_MESSAGING_DESTINATION_NAME] = input.topics[0];
  const correlationIds = [
    ...new Set(input.publishers.map((p) => p.correlationId).filter((id) => id !== undefined)),
  ];
  if (correlationIds.length > 0) {
    attributes[CORRELATION_IDS_ATTRIBUTE] = correlationIds.slice(0, MAX_BATCH_CORRELATION_IDS);
  }
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(
      input.topics.length === 1
        ? `${MESSAGING_OPERATION_TYPE_VALUE_SEND} ${input.topics[0]}`
        : MESSAGING_OPERATION_TYPE_VALUE_SEND,
      { kind: SpanKind.CLIENT, attributes, links: spanLinks(input.publishers), root: true },
      ROOT_CONTEXT,
    );
  return context.with(suppressTracing(trace.setSpan(ROOT_CONTEXT, span)), () =>
    runAndEnd(span, fn),
  );
}
