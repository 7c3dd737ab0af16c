import { readinessChecks } from '@tributary/connections';
import type { ServiceDefinition } from '@tributary/platform';
import { BatchLayerModule } from './batch-layer.module';

export const batchLayer: ServiceDefinition = {
  name: 'batch-layer',
  module: BatchLayerModule,
  defaultPort: 3400,
  readiness: (config) => readinessChecks(config, ['kafka', 'postgres', 'redis', 'clickhouse']),
};
