export { type Dependency, type DependencyCheck, readinessChecks } from './readiness';
export { eventBusFor, kafkaFor } from './kafka';
export { shareEmbeddedWarehouse, warehouseTargetFor } from './warehouse';
