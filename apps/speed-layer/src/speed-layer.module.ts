import { Module } from '@nestjs/common';
import { PlatformModule } from '@tributary/platform';

/** speed-layer: Consumes the bus into the real-time views (ClickHouse). */
@Module({ imports: [PlatformModule.forService('speed-layer')] })
export class SpeedLayerModule {}
