import { Module } from '@nestjs/common';

/** batch-layer: Writes the master dataset to the lake and recomputes batch views on a schedule. */
@Module({})
export class BatchLayerModule {}
