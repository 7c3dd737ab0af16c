import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import { messageLogFor } from '@tributary/connections';
import { EVENT_BUS, type EventBus } from '@tributary/messaging';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { ApiKeys, SchemaRegistry } from '@tributary/registry';
import type { DataSource } from 'typeorm';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { KEY_AUTHENTICATOR, SCHEMA_RESOLVER } from './events/ports';
import { unavailableKeys, unavailableSchemas } from './events/unavailable';

const METADATA = Symbol('METADATA');

/**
 * ingest-api: accepts events from upstream apps over HTTP and publishes them to the bus. The
 * profile picks the adapters behind the ports; the intake code is the same for both.
 */
@Module({
  controllers: [EventsController],
  providers: [
    EventsService,
    {
      provide: EVENT_BUS,
      inject: [APP_CONFIG],
      // Kafka when brokers are configured, else the process's embedded log (opened on first use).
      useFactory: (config: TributaryConfig): EventBus => messageLogFor(config, 'ingest'),
    },
    {
      provide: METADATA,
      inject: [APP_CONFIG],
      useFactory: async (config: TributaryConfig): Promise<DataSource | undefined> => {
        if (!config.postgres.url) return undefined; // the one-process pipeline serves PGlite
        const dataSource = await createMetadataDataSource({
          url: config.postgres.url,
        }).initialize();
        await migrateMetadata(dataSource);
        return dataSource;
      },
    },
    {
      provide: SCHEMA_RESOLVER,
      inject: [METADATA],
      useFactory: (dataSource?: DataSource) =>
        dataSource ? new SchemaRegistry(dataSource) : unavailableSchemas,
    },
    {
      provide: KEY_AUTHENTICATOR,
      inject: [METADATA],
      useFactory: (dataSource?: DataSource) =>
        dataSource ? new ApiKeys(dataSource) : unavailableKeys,
    },
  ],
})
export class IngestApiModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(METADATA) private readonly metadata: DataSource | undefined,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.metadata?.destroy();
  }
}
