/** Paths that orchestrators and Prometheus poll every few seconds. */
const PROBE_PATHS = new Set(['/health/live', '/metrics']);

/**
 * True for liveness probes and metric scrapes (`GET /health/live`, `GET /metrics`, any query
 * string): they would be most of the traces and tell nothing, so the HTTP instrumentation skips
 * them. Readiness checks stay traced: they touch every dependency and their failures matter.
 */
export function isProbeRequest(request: { method?: string; url?: string }): boolean {
  if (request.method !== 'GET' || request.url === undefined) return false;
  return PROBE_PATHS.has(request.url.split('?', 1)[0]);
}
