export { runInConsumerSpan, type ConsumedMessage, type ConsumerSpanInput } from './consumer-span';
export { currentCorrelationId, runWithCorrelation } from './correlation-context';
export { newCorrelationId, sanitizeCorrelationId } from './correlation-id';
export {
  CorrelationMiddleware,
  correlationMiddleware,
  type CorrelationRequest,
  type CorrelationResponse,
} from './correlation-middleware';
export { currentLogContext, type LogContext } from './log-context';
export {
  extractMessageContext,
  injectMessageHeaders,
  type MessageContext,
  type MessageHeaders,
} from './message-headers';
export {
  CORRELATION_ID_ATTRIBUTE,
  CORRELATION_ID_HEADER,
  CORRELATION_ID_MESSAGE_HEADER,
  CORRELATION_IDS_ATTRIBUTE,
} from './names';
export { isProbeRequest } from './probe-requests';
export { runInProducerSpan } from './producer-span';
export { currentPublisher, type Publisher, runInSendSpan, type SendSpanInput } from './send-span';
export { startTelemetry, type Telemetry, type TelemetryOptions } from './start-telemetry';
export { exitOnBootFailure } from './service/boot-failure';
export { type PreparedService, prepareService } from './service/prepare-service';
export { workspaceVersion } from './service/workspace-version';
