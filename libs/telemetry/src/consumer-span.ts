import {
  context,
  type Attributes,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { runWithCorrelation } from './correlation-context';
import { newCorrelationId } from './correlation-id';
import { extractMessageContext, type MessageHeaders } from './message-headers';
import { CORRELATION_ID_ATTRIBUTE, CORRELATION_IDS_ATTRIBUTE } from './names';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from './semconv';
import { TRACER_NAME } from './tracer';

/** At most this many distinct correlation ids are listed on a batch span: attributes stay small. */
export const MAX_BATCH_CORRELATION_IDS = 20;

/** The parts of a consumed kafkajs message (`KafkaMessage` plus its partition) the span uses. */
export interface ConsumedMessage {
  headers?: MessageHeaders;
  partition?: number;
  offset?: string;
}

export interface ConsumerSpanInput {
  topic: string;
  /** One message (eachMessage) or a batch (eachBatch). */
  messages: readonly ConsumedMessage[];
  /** Span name; default `process <topic>` as the messaging conventions name it. */
  name?: string;
  consumerGroup?: string;
}

/**
 * Runs `fn` inside a CONSUMER span for the given messages, with that span active and the messages'
 * correlation id current, so everything the handler logs, queries or produces joins the producer's
 * trace and correlation.
 *
 * One message: the span is a child of the producer span found in its headers. A batch: one span
 * with no parent and a link to each distinct producer span (a span has one parent, a batch has many
 * producers); its correlation id is the first message's, and all distinct ids are listed in
 * `tributary.correlation_ids`. A message without a correlation id gets a fresh one, as an HTTP
 * request does. A throw is recorded on the span (error status) and rethrown.
 */
export async function runInConsumerSpan<T>(
  input: ConsumerSpanInput,
  fn: () => T | Promise<T>,
): Promise<T> {
  const extracted = input.messages.map((message) => extractMessageContext(message.headers));
  const single = input.messages.length === 1;
  const correlationIds = distinct(extracted.map((message) => message.correlationId));
  const correlationId = correlationIds[0] ?? newCorrelationId();

  const attributes: Attributes = {
    ...messagingAttributes(input),
    [CORRELATION_ID_ATTRIBUTE]: correlationId,
  };
  if (!single && correlationIds.length > 0) {
    attributes[CORRELATION_IDS_ATTRIBUTE] = correlationIds.slice(0, MAX_BATCH_CORRELATION_IDS);
  }

  const parent = single ? extracted[0].context : ROOT_CONTEXT;
  const span = trace.getTracer(TRACER_NAME).startSpan(
    input.name ?? `${MESSAGING_OPERATION_TYPE_VALUE_PROCESS} ${input.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes,
      links: single ? [] : spanLinks(extracted),
      root: !single,
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), () =>
    runWithCorrelation(correlationId, () => runAndEnd(span, fn)),
  );
}

/** Runs `fn` in `span`: records a throw as the span's error (and rethrows it), always ends it. */
export async function runAndEnd<T>(span: Span, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    span.end();
  }
}

function messagingAttributes({ topic, messages, consumerGroup }: ConsumerSpanInput): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
    [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  };
  if (consumerGroup !== undefined) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = consumerGroup;
  // The conventions set the count on batch spans only; a single message has its offset instead.
  if (messages.length !== 1) attributes[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = messages.length;
  const partitions = distinct(messages.map((message) => message.partition));
  if (partitions.length === 1 && messages.every((m) => m.partition !== undefined)) {
    attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(partitions[0]);
  }
  const offset = messages.length === 1 ? Number(messages[0].offset) : NaN;
  if (Number.isSafeInteger(offset)) attributes[ATTR_MESSAGING_KAFKA_OFFSET] = offset;
  return attributes;
}

/** One link per distinct span: messages of one producer span (or publishes of one) need one. */
export function spanLinks(items: ReadonlyArray<{ spanContext?: SpanContext }>): Link[] {
  const links = new Map<string, Link>();
  for (const { spanContext } of items) {
    if (spanContext)
      links.set(`${spanContext.traceId}/${spanContext.spanId}`, { context: spanContext });
  }
  return [...links.values()];
}

function distinct<T>(values: ReadonlyArray<T | undefined>): T[] {
  return [...new Set(values.filter((value): value is T => value !== undefined))];
}
