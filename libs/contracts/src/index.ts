export type { DlqOrigin, DlqRecord } from './dlq-record';
export { CLIENT_FIELDS, type ClientEnvelope, type StoredEvent } from './envelope';
export { checkEnvelope, type EnvelopeCheck, type EnvelopeLimits } from './envelope-check';
export { deriveEventId, deriveRowEventId, isUuid, uuidV5 } from './event-id';
export {
  ITEM_ERROR_CODES,
  type ItemError,
  type ItemErrorCode,
  type ItemResult,
} from './item-result';
export { DLQ_TOPIC, EVENT_HEADERS, EVENTS_TOPIC } from './topics';
