export { type Dependency, type DependencyCheck, readinessChecks } from './readiness';
export { kafkaFor } from './kafka';
export { embeddedLogFolder, embeddedLogReadiness, messageLogFor } from './message-log';
export { warehouseTargetFor } from './warehouse';
