import { startTestService } from '@tributary/platform';
import { itAnswersLiveness } from '@tributary/testing';
import { BatchLayerModule } from './batch-layer.module';
import { batchLayer } from './batch-layer.service';

describe(BatchLayerModule.name, () => {
  itAnswersLiveness('batch-layer', () => startTestService(batchLayer));
});
