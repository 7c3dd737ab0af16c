export { ApiKeyEntity } from './entities/api-key.entity';
export { DqResultEntity } from './entities/dq-result.entity';
export { DqRunEntity } from './entities/dq-run.entity';
export { EventTypeEntity } from './entities/event-type.entity';
export { SchemaVersionEntity } from './entities/schema-version.entity';
export { SourceEntity } from './entities/source.entity';
export {
  createMetadataDataSource,
  metadataEntities,
  type MetadataStoreOptions,
} from './metadata-data-source';
export { metadataMigrations } from './migrations';
export {
  API_KEY_ID_PATTERN,
  EVENT_TYPE_NAME_MAX_LENGTH,
  EVENT_TYPE_NAME_PATTERN,
  isEventTypeName,
  isSourceName,
  SOURCE_NAME_PATTERN,
} from './names';
export { postgresReadiness } from './postgres-readiness';
export { REGISTRY_REVISION_QUERY } from './registry-revision';
export { migrateMetadata } from './run-migrations';
