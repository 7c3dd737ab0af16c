import { Module } from '@nestjs/common';
import { BatchLayerWorker } from './batch/batch-layer-worker';

/** batch-layer: writes the master dataset to the lake and recomputes batch views on a schedule. */
@Module({ providers: [BatchLayerWorker] })
export class BatchLayerModule {}
