import { Module } from '@nestjs/common';
import { BatchLayerWorker } from './batch/batch-layer-worker';
import { ConnectorsWorker } from './connectors/connectors-worker';

/**
 * batch-layer: writes the master dataset to the lake, recomputes batch views on a schedule and
 * runs the batch connectors (libs/connectors).
 */
@Module({ providers: [BatchLayerWorker, ConnectorsWorker] })
export class BatchLayerModule {}
