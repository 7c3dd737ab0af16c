import { Module } from '@nestjs/common';
import { BatchController } from './batch/batch.controller';
import { BatchLayerWorker } from './batch/batch-layer-worker';
import { ConnectorsWorker } from './connectors/connectors-worker';

/**
 * batch-layer: writes the master dataset to the lake, recomputes batch views on a schedule (or on
 * request: POST /v1/batch/runs) and runs the batch connectors (libs/connectors).
 */
@Module({ controllers: [BatchController], providers: [BatchLayerWorker, ConnectorsWorker] })
export class BatchLayerModule {}
