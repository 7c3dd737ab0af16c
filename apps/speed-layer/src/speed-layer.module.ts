import { Module } from '@nestjs/common';

/** speed-layer: Consumes the bus into the real-time views (ClickHouse). */
@Module({})
export class SpeedLayerModule {}
