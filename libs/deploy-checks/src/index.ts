// Static checks of the deployment files (Dockerfile, docker-compose.yml, infra/terraform,
// infra/k8s, Prometheus, Alertmanager, Grafana, runbooks). The checks themselves are the specs
// next to these helpers; docs/operations.md ("Checks") says what each one proves.
export {
  composeSchemaErrors,
  composeServices,
  interpolate,
  loadCompose,
  parseDotenv,
  serviceDependencies,
  serviceEnvironment,
} from './compose';
export { dockerStages, loadDockerStages, parseDockerfile } from './dockerfile';
export {
  envKeyProblem,
  envKeyProblems,
  missingDistributedSettings,
  sensitiveKeys,
} from './env-keys';
export { parseHclFile, parseHclTree } from './hcl';
export { typecheckResources, validateWithOpenApiSchema } from './kubernetes';
export { mergePatch, renderKustomization, SUPPORTED_KUSTOMIZATION_FIELDS } from './kustomize';
export { catalogMetricNames, type ExportedSeries, exportedSeries } from './metrics';
export { analysePromql, promqlProblems, substituteGrafanaVariables } from './promql';
export { findRepoRoot, REPO_ROOT } from './repo';
export { readServiceSource, SERVICES } from './services';
export { bucketProblems, ingressProblems } from './terraform-rules';
