import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import { messageLogFor } from '@tributary/connections';
import { EVENT_BUS, type EventBus } from '@tributary/messaging';
import { APP_LOGGER, type AppLogger } from '@tributary/platform';
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
export class IngestApiModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(METADATA) private readonly metadata: DataSource | undefined,
    @Inject(APP_CONFIG) private readonly config: TributaryConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  /**
   * Creates the topics now rather than on the first publish, so consumers started after this
   * service (the one-process pipeline starts it first) find them. A bus that is down does not stop
   * the start: publishing creates them later, and requests get 503 until then.
   */
  async onApplicationBootstrap(): Promise<void> {
    const topics = [this.config.kafka.eventsTopic, this.config.kafka.dlqTopic];
    const deferred = (reason: unknown) =>
      this.logger.warn(
        { event: 'ingest.topics_deferred', topics, err: reason },
        'could not create the topics at start; the first publish will',
      );
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        deferred(new Error('no answer within 10 s'));
        resolve();
      }, 10_000);
    });
    await Promise.race([this.bus.ensureTopics(topics).catch(deferred), bounded]);
    clearTimeout(timer);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
    await this.metadata?.destroy();
  }
}
