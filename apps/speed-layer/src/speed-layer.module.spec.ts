import { startTestService } from '@tributary/platform';
import { itAnswersLiveness } from '@tributary/testing';
import { SpeedLayerModule } from './speed-layer.module';
import { speedLayer } from './speed-layer.service';

describe(SpeedLayerModule.name, () => {
  itAnswersLiveness('speed-layer', () => startTestService(speedLayer));
});
