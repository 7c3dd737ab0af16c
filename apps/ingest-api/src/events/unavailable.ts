import type { EventBus } from '@tributary/messaging';
import { IngestError } from './ingest-error';
import type { KeyAuthenticator, SchemaResolver } from './ports';

const reason =
  'the embedded profile cannot take events yet: its event bus and metadata store are not built; run the ingest API with TRIBUTARY_PROFILE=distributed (see README)';

/**
 * What the embedded profile plugs into the intake ports until its embedded log and PGlite store
 * exist: every request gets a clear 503 instead of a half-working pipeline that loses events.
 */
export const unavailableBus: EventBus = {
  publish: () => Promise.reject(new IngestError('unavailable', reason)),
  ensureTopics: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

export const unavailableKeys: KeyAuthenticator = {
  authenticate: () => Promise.reject(new IngestError('unavailable', reason)),
};

export const unavailableSchemas: SchemaResolver = {
  resolve: () => Promise.reject(new IngestError('unavailable', reason)),
};
