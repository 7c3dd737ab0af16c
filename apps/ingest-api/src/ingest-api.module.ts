import { Module } from '@nestjs/common';

/** ingest-api: Accepts events from upstream apps over HTTP and publishes them to the bus. */
@Module({})
export class IngestApiModule {}
