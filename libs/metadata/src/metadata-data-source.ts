import { DataSource } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { DqResultEntity } from './entities/dq-result.entity';
import { DqRunEntity } from './entities/dq-run.entity';
import { EventTypeEntity } from './entities/event-type.entity';
import { SchemaVersionEntity } from './entities/schema-version.entity';
import { SourceEntity } from './entities/source.entity';
import { metadataMigrations } from './migrations';

export const metadataEntities = [
  SourceEntity,
  ApiKeyEntity,
  EventTypeEntity,
  SchemaVersionEntity,
  DqRunEntity,
  DqResultEntity,
];

export interface MetadataStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Connections in the pool; small by default: metadata traffic is light. */
  poolSize?: number;
}

/**
 * The metadata store (sources, keys, registry, runs, watermarks) as a TypeORM DataSource. Schema
 * changes only ever come from migrations: `synchronize` stays off in every environment, so what
 * runs in production is exactly what the tests migrated.
 */
export function createMetadataDataSource(options: MetadataStoreOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: metadataEntities,
    migrations: metadataMigrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: options.poolSize ?? 5,
    applicationName: 'tributary',
  });
}
