import { IngestError } from './ingest-error';
import type { KeyAuthenticator, SchemaResolver } from './ports';

const reason =
  'the embedded profile cannot take events yet: its metadata store is not built; run the ingest API with TRIBUTARY_PROFILE=distributed (see README)';

/**
 * What the embedded profile plugs into the intake ports until its PGlite store exists: every
 * request gets a clear 503 instead of a half-working pipeline that loses events.
 */
export const unavailableKeys: KeyAuthenticator = {
  authenticate: () => Promise.reject(new IngestError('unavailable', reason)),
};

export const unavailableSchemas: SchemaResolver = {
  resolve: () => Promise.reject(new IngestError('unavailable', reason)),
};
