import 'reflect-metadata';
import { bootstrapService, exitOnBootFailure } from '@tributary/platform';
import { ServingApiModule } from './serving-api.module';

bootstrapService({ name: 'serving-api', module: ServingApiModule, defaultPort: 3200 }).catch(
  exitOnBootFailure,
);
