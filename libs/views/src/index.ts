export {
  defineView,
  ENVELOPE_FIELDS,
  type EnvelopeField,
  type EnvelopeFieldRef,
  type FieldRef,
  type FilterValue,
  type Grain,
  GRAINS,
  MEASURE_FUNCTIONS,
  type MeasureFunction,
  NUMERIC_PROPERTY_TYPES,
  type PropertyFieldRef,
  PROPERTY_TYPES,
  type PropertyType,
  UNIQUE_METHODS,
  type UniqueMethod,
  type ViewDefinition,
  type ViewDimension,
  type ViewFilter,
  type ViewMeasure,
} from './definition/view-definition';
export { ViewDefinitionError, type ViewProblem } from './definition/view-definition-error';
export { assertValidView, validateViews } from './definition/validate-views';
export { RESERVED_NAMES } from './definition/validate-columns';

export { batchSql, type BatchSqlOptions } from './compile/batch-sql';
export {
  alignCut,
  CUT_PARAMETER,
  CutAlignmentError,
  cutParams,
  INGESTION_BUCKET,
  INGESTION_BUCKET_MS,
  isAlignedCut,
} from './compile/cut';
export {
  EVENT_IDS_GRANULARITY,
  EVENT_IDS_TABLE,
  EVENT_IDS_VIEW,
  eventIdsDdl,
  type EventIdsDdl,
} from './compile/event-ids-ddl';
export { formatDateTime64 } from './compile/clickhouse-time';
export { EVENTS_RT_COLUMNS, EVENTS_TABLE, eventsTableDdl } from './compile/events-table-ddl';
export { mergedReadSql } from './compile/merged-read-sql';
export {
  DEFAULT_DEDUP_WINDOW,
  DEFAULT_EVENT_ID_WINDOW_HOURS,
  DEFAULT_EVENTS_RETENTION_DAYS,
  type RealtimeDdlOptions,
} from './compile/realtime-options';
export { realtimeReadSql, type RealtimeReadOptions } from './compile/realtime-read-sql';
export {
  materializedView,
  realtimeTable,
  realtimeViewDdl,
  type RealtimeViewDdl,
} from './compile/realtime-view-ddl';
export { type DdlMigration, realtimeMigrations } from './migrations/realtime-migrations';

export { type EventsRtRow, type KafkaPosition, toEventsRtRow } from './events-rt-row';

export {
  ACTIVE_SUBJECTS,
  DEFAULT_VIEWS,
  EVENTS_BY_TYPE_SOURCE,
  PAGE_VIEWS_BY_PATH,
  REVENUE_BY_CURRENCY,
  SIGNUPS_BY_PLAN,
} from './defaults/default-views';
export {
  DEMO_EVENT_SCHEMAS,
  DEMO_SCHEMA_DIALECT,
  type DemoEventType,
} from './defaults/demo-event-schemas';
export { demoEvents, type DemoEventsOptions } from './demo/demo-events';
export {
  type IngestionWindow,
  type ReferenceShape,
  referenceRows,
  type ViewRow,
} from './reference/reference-rows';
export { GENERATED_BATCH_RELATION, renderGeneratedFiles } from './generated/render-generated';
export {
  servingCopyDdl,
  servingCopyLoadSql,
  servingCopyReadSql,
  rollupTable,
  servingMergedReadSql,
  servingRollupSql,
  servingTable,
} from './compile/batch-view-sql';
export { finestGrain } from './compile/grain-sql';
export { sortViewRows } from './reference/sort-view-rows';
export {
  FILTER_OPS,
  type FilterOp,
  QueryError,
  type QueryFilter,
  type QueryValue,
  type ServingQuery,
  servingQuerySql,
} from './compile/serving-query-sql';
