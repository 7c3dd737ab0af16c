export { type AuditCheck, type AuditContext, builtInChecks } from './audit';
export {
  BatchRunner,
  type BatchRunnerOptions,
  DISTINCT_LEASE,
  coarserGrains,
  icebergColumnType,
  lakeViewTable,
  lakeViewTableCh,
  NothingToDoError,
  runCopyTable,
  type RunOutcome,
  type RunRequest,
} from './batch-runner';
export {
  type BatchRun,
  BatchStore,
  type CheckResult,
  type RunMode,
  type RunStatus,
  type ViewWatermark,
} from './batch-store';
export { completeThrough } from './complete-through';
export {
  DISTINCT_PROGRESS_TABLE,
  DISTINCT_TABLE,
  DistinctEvents,
  type DistinctEventsOptions,
  type StagedRange,
} from './distinct-events';
export { currentSnapshot, ICEBERG_WRITE } from './iceberg';
export {
  checkLakeLocation,
  icebergEngine,
  type LakeLocation,
  localTableFolder,
  LakeLocationError,
} from './lake-location';
export { type CommittedRange, LakeStore, type PartitionProgress } from './lake-store';
export {
  type LakeCommitInfo,
  type LakeRange,
  type LakeRecord,
  LakeWriter,
  type LakeWriterOptions,
} from './lake-writer';
export { Lease, LeaseLostError } from './lease';
export {
  eventsStagingDdl,
  MASTER_TABLE,
  MASTER_TABLE_CH,
  masterDatasetDdl,
  masterDatasetSelect,
} from './master-dataset';
export { qualityGate, type QualityGateOptions } from './quality-gate';
export { maintainLakeTable, type MaintenanceOptions, type MaintenanceOutcome } from './maintenance';
export { CompactionError, compactLakeTable, type CompactionOutcome } from './compaction';
export { repairIcebergTable, repairLakeTable, type RepairOutcome } from './iceberg-repair';
