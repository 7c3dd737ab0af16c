import { readinessChecks } from '@tributary/connections';
import type { ServiceDefinition } from '@tributary/platform';
import { serveApiDocs } from './events/api-docs';
import { IngestApiModule } from './ingest-api.module';

export const ingestApi: ServiceDefinition = {
  name: 'ingest-api',
  module: IngestApiModule,
  defaultPort: 3100,
  readiness: (config) => readinessChecks(config, ['kafka', 'postgres']),
  // The intake reads bodies itself: size limits before and after gzip, NDJSON, exact errors.
  bodyParser: false,
  configureApp: (app) => serveApiDocs(app),
};
