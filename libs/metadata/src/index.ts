export { SourceEntity } from './entities/source.entity';
export {
  createMetadataDataSource,
  metadataEntities,
  type MetadataStoreOptions,
} from './metadata-data-source';
export { metadataMigrations } from './migrations';
export { postgresReadiness } from './postgres-readiness';
