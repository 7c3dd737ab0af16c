import { itAnswersLiveness } from '@tributary/testing';
import { BatchLayerModule } from './batch-layer.module';

describe(BatchLayerModule.name, () => {
  itAnswersLiveness(BatchLayerModule, 'batch-layer');
});
