import { prepared } from './instrument';
import { bootstrapService } from '@tributary/platform';
import { exitOnBootFailure } from '@tributary/telemetry';
import { servingApi } from './serving-api.service';

bootstrapService(servingApi, prepared, { handleSignals: true }).catch(exitOnBootFailure);
