import { type Attributes, SpanKind, trace } from '@opentelemetry/api';
import { runAndEnd } from './consumer-span';
import { currentCorrelationId } from './correlation-context';
import { CORRELATION_ID_ATTRIBUTE } from './names';
import { TRACER_NAME } from './tracer';

/**
 * Runs `fn` inside an active PRODUCER span (`send <topic>`), so the `traceparent` that
 * injectMessageHeaders writes into the records built inside points at this span, and consumer
 * spans hang under it. A throw is recorded as the span's error.
 */
export async function runInProducerSpan<T>(
  topic: string,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  const correlationId = currentCorrelationId();
  return trace.getTracer(TRACER_NAME).startActiveSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
        ...(correlationId ? { [CORRELATION_ID_ATTRIBUTE]: correlationId } : {}),
        ...attributes,
      },
    },
    (span) => runAndEnd(span, fn),
  );
}
