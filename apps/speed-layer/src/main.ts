import 'reflect-metadata';
import { bootstrapService, exitOnBootFailure } from '@tributary/platform';
import { SpeedLayerModule } from './speed-layer.module';

bootstrapService({ name: 'speed-layer', module: SpeedLayerModule, defaultPort: 3300 }).catch(
  exitOnBootFailure,
);
