import 'reflect-metadata';
import { bootstrapService, exitOnBootFailure } from '@tributary/platform';
import { IngestApiModule } from './ingest-api.module';

bootstrapService({ name: 'ingest-api', module: IngestApiModule, defaultPort: 3100 }).catch(
  exitOnBootFailure,
);
