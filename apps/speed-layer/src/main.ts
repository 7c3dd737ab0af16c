import { prepared } from './instrument';
import { bootstrapService } from '@tributary/platform';
import { exitOnBootFailure } from '@tributary/telemetry';
import { speedLayer } from './speed-layer.service';

bootstrapService(speedLayer, prepared, { handleSignals: true }).catch(exitOnBootFailure);
