import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import {
  QualityController,
  QualityModule,
  type QualityModuleOptions,
  QualityStore,
  viewSuites,
} from '@tributary/quality';
import { DEFAULT_VIEWS, validateViews } from '@tributary/views';
import { QueryController } from './query/query.controller';
import { QueryService } from './query/query.service';
import { ReadTokenMiddleware } from './query/read-token.middleware';

/**
 * serving-api: answers BI queries by merging batch and real-time views, and serves the data docs
 * (`GET /quality`: suites, latest results per checkpoint, history, failing samples) from the
 * data-quality results in Postgres.
 */
@Module({
  imports: [
    QualityModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: TributaryConfig): Promise<QualityModuleOptions> => {
        const suites = viewSuites(validateViews(DEFAULT_VIEWS));
        if (!config.postgres.url) return { suites };
        const dataSource = await createMetadataDataSource({
          url: config.postgres.url,
          poolSize: 2,
        }).initialize();
        await migrateMetadata(dataSource);
        return { store: new QualityStore(dataSource), suites, close: () => dataSource.destroy() };
      },
    }),
  ],
  controllers: [QueryController],
  providers: [QueryService],
})
export class ServingApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ReadTokenMiddleware).forRoutes(QueryController, QualityController);
  }
}
