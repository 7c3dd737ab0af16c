import { readinessChecks } from '@tributary/connections';
import type { ServiceDefinition } from '@tributary/platform';
import { serveServingDocs } from './query/openapi';
import { ServingApiModule } from './serving-api.module';

export const servingApi: ServiceDefinition = {
  name: 'serving-api',
  module: ServingApiModule,
  defaultPort: 3200,
  readiness: (config) => readinessChecks(config, ['clickhouse', 'postgres']),
  configureApp: (app) => serveServingDocs(app),
};
