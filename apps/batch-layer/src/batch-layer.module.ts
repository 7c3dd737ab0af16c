import { Module } from '@nestjs/common';
import { PlatformModule } from '@tributary/platform';

/** batch-layer: Writes the master dataset to the lake and recomputes batch views on a schedule. */
@Module({ imports: [PlatformModule.forService('batch-layer')] })
export class BatchLayerModule {}
