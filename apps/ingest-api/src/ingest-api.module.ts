import { Module } from '@nestjs/common';
import { PlatformModule } from '@tributary/platform';

/** ingest-api: Accepts events from upstream apps over HTTP and publishes them to the bus. */
@Module({ imports: [PlatformModule.forService('ingest-api')] })
export class IngestApiModule {}
