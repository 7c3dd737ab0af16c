export {
  bootstrapService,
  exitOnBootFailure,
  type RunningService,
  type ServiceBootOptions,
} from './bootstrap';
export { HealthController, type LivenessAnswer } from './health/health.controller';
export { PlatformModule } from './platform.module';
export { InvalidSettingError, portSettingKey, readPort } from './port';
export { SERVICE_INFO, type ServiceInfo, workspaceVersion } from './service-info';
