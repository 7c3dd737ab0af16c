import { Module } from '@nestjs/common';
import { BatchController } from './batch/batch.controller';
import { BatchLayerWorker } from './batch/batch-layer-worker';

/**
 * batch-layer: writes the master dataset to the lake and recomputes batch views on a schedule
 * (or on request: POST /v1/batch/runs).
 */
@Module({ controllers: [BatchController], providers: [BatchLayerWorker] })
export class BatchLayerModule {}
