import { readinessChecks } from '@tributary/connections';
import type { ServiceDefinition } from '@tributary/platform';
import { IngestApiModule } from './ingest-api.module';

export const ingestApi: ServiceDefinition = {
  name: 'ingest-api',
  module: IngestApiModule,
  defaultPort: 3100,
  readiness: (config) => readinessChecks(config, ['kafka', 'postgres']),
};
