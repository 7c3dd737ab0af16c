import { itAnswersLiveness } from '@tributary/testing';
import { SpeedLayerModule } from './speed-layer.module';

describe(SpeedLayerModule.name, () => {
  itAnswersLiveness(SpeedLayerModule, 'speed-layer');
});
