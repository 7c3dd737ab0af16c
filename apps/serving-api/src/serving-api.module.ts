import { Module } from '@nestjs/common';
import { PlatformModule } from '@tributary/platform';

/** serving-api: Answers BI queries by merging batch and real-time views. */
@Module({ imports: [PlatformModule.forService('serving-api')] })
export class ServingApiModule {}
