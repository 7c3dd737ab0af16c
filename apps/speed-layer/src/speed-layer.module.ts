import { Module } from '@nestjs/common';
import { SpeedConsumer } from './consumer/speed-consumer';

/** speed-layer: consumes the bus into the real-time views (ClickHouse). */
@Module({ providers: [SpeedConsumer] })
export class SpeedLayerModule {}
