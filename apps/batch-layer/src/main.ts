import 'reflect-metadata';
import { bootstrapService, exitOnBootFailure } from '@tributary/platform';
import { BatchLayerModule } from './batch-layer.module';

bootstrapService({ name: 'batch-layer', module: BatchLayerModule, defaultPort: 3400 }).catch(
  exitOnBootFailure,
);
