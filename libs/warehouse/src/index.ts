export {
  createWarehouseClient,
  type WarehouseClientOptions,
  type WarehouseTarget,
} from './warehouse-client';
export { warehouseReadiness } from './warehouse-readiness';
export {
  EventsRtSink,
  type EventsRtSinkOptions,
  type SinkRange,
  type SinkRecord,
  type SinkWriteOutcome,
  type UndecodableRecord,
} from './events-rt-sink';
export {
  applyWarehouseMigrations,
  appliedChecksums,
  type ApplyMigrationsOptions,
} from './migrations/apply-warehouse-migrations';
export { MIGRATIONS_TABLE, migrationsTableDdl } from './migrations/migrations-table';
export {
  MIGRATION_VERSION,
  migrationChecksum,
  type WarehouseMigration,
} from './migrations/warehouse-migration';
export { WarehouseMigrationError } from './migrations/warehouse-migration-error';
export {
  decodeStoredEvent,
  decodeStoredEventText,
  type DecodedEvent,
  type EventRow,
  toEventRow,
} from './stored-event-record';
export { countRows, tableExists } from './table-exists';
