import { readinessChecks } from '@tributary/connections';
import type { ServiceDefinition } from '@tributary/platform';
import { SpeedLayerModule } from './speed-layer.module';

export const speedLayer: ServiceDefinition = {
  name: 'speed-layer',
  module: SpeedLayerModule,
  defaultPort: 3300,
  readiness: (config) => readinessChecks(config, ['kafka', 'clickhouse']),
};
