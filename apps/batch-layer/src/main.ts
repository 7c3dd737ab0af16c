import { prepared } from './instrument';
import { bootstrapService } from '@tributary/platform';
import { exitOnBootFailure } from '@tributary/telemetry';
import { batchLayer } from './batch-layer.service';

bootstrapService(batchLayer, prepared, { handleSignals: true }).catch(exitOnBootFailure);
