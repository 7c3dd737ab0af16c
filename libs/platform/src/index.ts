export {
  type BootOptions,
  bootstrapService,
  type RunningService,
  type ServiceDefinition,
} from './bootstrap';
export { HealthController, type LivenessAnswer } from './health/health.controller';
export {
  type DependencyStatus,
  Readiness,
  type ReadinessAnswer,
  type ReadinessCheck,
} from './health/readiness';
export { type AppLogger, createLogger, REDACTED_PATHS, scrubSecrets } from './logging/logger';
export { NestLogger } from './logging/nest-logger';
export { METRIC_CATALOG, METRIC_PREFIX, type MetricName } from './metrics/catalog';
export { Metrics } from './metrics/metrics';
export {
  APP_LOGGER,
  PlatformModule,
  type PlatformOptions,
  serviceRootModule,
} from './platform.module';
export { InvalidSettingError, portSettingKey, readPort } from './port';
export { SERVICE_INFO, type ServiceInfo } from './service-info';
export { createShutdown, type ShutdownOutcome } from './shutdown';
export { startTestService, type TestService } from './testing/start-test-service';
export { type RateDecision, RateLimiter } from './rate-limiter';
