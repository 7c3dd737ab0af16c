import { startTestService } from '@tributary/platform';
import { itAnswersLiveness, tempDir } from '@tributary/testing';
import { SpeedLayerModule } from './speed-layer.module';
import { speedLayer } from './speed-layer.service';

describe(SpeedLayerModule.name, () => {
  const dataDir = tempDir('speed-layer-unit');
  afterAll(() => dataDir.remove());

  // Embedded profile without Kafka: applies the real-time DDL to chDB, then idles.
  itAnswersLiveness('speed-layer', () =>
    startTestService(speedLayer, { TRIBUTARY_DATA_DIR: dataDir.path }),
  );
});
