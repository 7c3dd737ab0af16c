import { prepared } from './instrument';
import { bootstrapService } from '@tributary/platform';
import { exitOnBootFailure } from '@tributary/telemetry';
import { ingestApi } from './ingest-api.service';

bootstrapService(ingestApi, prepared, { handleSignals: true }).catch(exitOnBootFailure);
