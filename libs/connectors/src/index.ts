export type {
  ConnectorConfig,
  EntityTableSettings,
  FilesSourceSettings,
  PostgresSourceSettings,
  RetrySettings,
} from './config/connector-config';
export {
  ConnectorConfigError,
  loadConnectorFile,
  loadConnectors,
  parseConnector,
} from './config/parse-connector';
export { type ConnectorFreshness, Connectors, type ConnectorsOptions } from './connectors';
export type { S3Access } from './files/file-source';
export { EntityTable } from './entity/entity-table';
export {
  type ExtractedRow,
  type PublishSettings,
  rowItem,
  RowPublisher,
} from './events/row-events';
export { ConnectorError, type ConnectorErrorCode } from './run/connector-error';
export { type RunRequest, type RunResult } from './run/connector-runner';
export type { PullProgress } from './run/pull';
export { backoffDelay, isConnectionError } from './run/retry';
export {
  type ConnectorRun,
  type ConnectorState,
  ConnectorStore,
  type RunMode,
  type Watermark,
} from './store/connector-store';
