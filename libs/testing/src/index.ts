export { localServices, type LocalServices } from './local-services';
export { uniqueName } from './names';
export { itAnswersLiveness, type StartedService } from './nest';
export { createTestDatabase, type TestDatabase } from './postgres';
export { tempDir, type TempDir, workspaceTempDir } from './temp-dir';
export { waitFor, type WaitOptions } from './wait-for';
export { type MetricFamily, parsePrometheusText } from './prometheus';
export {
  type OtlpAttribute,
  type OtlpCollector,
  type OtlpExport,
  type OtlpSpan,
  SPAN_KIND_CLIENT,
  SPAN_KIND_PRODUCER,
  SPAN_KIND_SERVER,
  spanAttribute,
  startOtlpCollector,
} from './otlp-collector';
export { freePort, type ServiceProcess, spawnService } from './service-process';
export { readTopic, type ReadMessage } from './kafka-reader';
export { type ClickHouseHttp, startClickHouseHttp } from './clickhouse-http';
export { spawnTypeScript } from './typescript-process';
export { type S3Server, startS3Server } from './s3-server';
