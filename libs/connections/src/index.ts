export { type Dependency, type DependencyCheck, readinessChecks } from './readiness';
