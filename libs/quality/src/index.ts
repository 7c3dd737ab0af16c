export {
  EXPECTATION_TYPES,
  type Expectation,
  type ExpectationOf,
  type ExpectationType,
  type ScalarValue,
  SEVERITIES,
  type Severity,
  type Suite,
} from './suite/suite';
export { SuiteError, type SuiteProblem } from './suite/suite-error';
export { loadSuiteFile, loadSuites, parseDuration, parseSuite } from './suite/parse-suite';
export {
  type Locate,
  readYaml,
  schemaProblems,
  yamlFilesIn,
  type YamlProblem,
  yamlRefusal,
} from './suite/yaml-problems';
export {
  type CompileContext,
  type CompiledQuery,
  compileFreshness,
  compileRowCheck,
  compileRowCount,
  type RowCheck,
} from './run/compile-expectation';
export {
  type ExpectationResult,
  type ExpectationStatus,
  isBlocking,
  type JsonValue,
  type SuiteResult,
} from './run/results';
export { DEFAULT_SAMPLE_ROWS, runSuite, type RunSuiteOptions } from './run/run-suite';
export {
  quoteIdentifier,
  resolveTable,
  type ResolvedTable,
  type TableRef,
  trustedTable,
  type TrustedTable,
} from './run/table-ref';
export {
  auditThenPublish,
  type CheckpointResult,
  type PublishOutcome,
  runCheckpoint,
  type RunCheckpointOptions,
} from './checkpoint/run-checkpoint';
export {
  type RunSummary,
  type SaveRunInput,
  QualityStore,
  type StoredRun,
} from './store/quality-store';
export {
  type AlertLogger,
  QualityAlerts,
  type QualityAlertsOptions,
} from './alerts/quality-alerts';
export { type SlackPayload, slackPayload, type StoredRunLike } from './alerts/slack-payload';
export { type DataDocsModel, renderDataDocs } from './docs/render-data-docs';
export { loadDataDocs, type LoadDataDocsOptions } from './docs/load-data-docs';
export { escapeHtml } from './docs/html';
export { DATA_DOCS_USAGE, type DataDocsCliContext, runDataDocsCli } from './cli/data-docs-cli';
export { viewSuite, viewSuites } from './views/view-suite';
export {
  QUALITY_STORE,
  QUALITY_SUITES,
  QualityController,
  QualityModule,
  type QualityModuleOptions,
} from './http/quality.module';
export {
  BUNDLED_SUITES_DIR,
  bundledSuites,
  runScheduledChecks,
  type ScheduledCheckOutcome,
} from './checkpoint/scheduled-checks';
