export { type Dependency, type DependencyCheck, readinessChecks } from './readiness';
export { kafkaFor } from './kafka';
export { embeddedLogFolder, embeddedLogReadiness, messageLogFor } from './message-log';
export { shareEmbeddedWarehouse, warehouseTargetFor } from './warehouse';
