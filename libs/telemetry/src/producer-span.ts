import { type Attributes, SpanKind, trace } from '@opentelemetry/api';
import { runAndEnd } from './consumer-span';
import { currentCorrelationId } from './correlation-context';
import { CORRELATION_ID_ATTRIBUTE } from './names';
import {
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_OPERATION_TYPE_VALUE_CREATE,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from './semconv';
import { TRACER_NAME } from './tracer';

/**
 * Runs `fn` inside an active PRODUCER span `create <topic>` — the records' creation context in
 * the messaging conventions: the `traceparent` that injectMessageHeaders writes into the records
 * built inside points at this span, and consumer spans hang under it or link to it. The bus
 * sends the records later, possibly together with other callers' records, in a `send` span of
 * its own that links back here (runInSendSpan). A throw is recorded as the span's error.
 */
export async function runInProducerSpan<T>(
  topic: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  const correlationId = currentCorrelationId();
  return trace.getTracer(TRACER_NAME).startActiveSpan(
    `${MESSAGING_OPERATION_TYPE_VALUE_CREATE} ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
        [ATTR_MESSAGING_DESTINATION_NAME]: topic,
        [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_CREATE,
        [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_TYPE_VALUE_CREATE,
        ...(correlationId ? { [CORRELATION_ID_ATTRIBUTE]: correlationId } : {}),
        ...attributes,
      },
    },
    (span) => runAndEnd(span, fn),
  );
}
