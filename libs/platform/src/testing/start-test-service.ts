import { loadConfig } from '@tributary/config';
import { bootstrapService, type RunningService, type ServiceDefinition } from '../bootstrap';
import { jsonLinesSink } from './json-lines';

export interface TestService extends RunningService {
  /** Every JSON log line the service wrote so far. */
  logs: Array<Record<string, unknown>>;
  /** Whether stop() flushed telemetry. */
  flushed(): boolean;
}

/**
 * Boots a service through the real bootstrap (platform module, middleware, readiness, shutdown)
 * on a free loopback port, with its log lines captured instead of printed and no trace exporter.
 * For tests; `env` is the whole configuration environment (nothing is read from process.env).
 */
export async function startTestService(
  definition: ServiceDefinition,
  env: NodeJS.ProcessEnv = {},
): Promise<TestService> {
  const { stream: logDestination, lines: logs } = jsonLinesSink();
  let flushed = false;
  const config = loadConfig(env, { onWarning: () => undefined });
  const running = await bootstrapService(
    definition,
    { config, telemetry: { shutdown: async () => void (flushed = true) } },
    { env: { ...env, TRIBUTARY_HOST: '127.0.0.1' }, port: 0, logDestination },
  );
  return Object.assign(running, { logs, flushed: () => flushed });
}
