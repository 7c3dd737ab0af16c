import { readRepoFile, repoFileExists } from './repo';

/** Dependencies a service's readiness probe checks (`readinessChecks(config, [...])`). */
export type Dependency = 'kafka' | 'postgres' | 'redis' | 'clickhouse';

export interface ServiceSpec {
  name: string;
  port: number;
  /** TRIBUTARY_<SERVICE>_PORT. */
  portKey: string;
  /** The command every deployment runs; the one image serves all four. */
  command: readonly string[];
}

/** The four deployable services and their default ports (apps/<name>/src/<name>.service.ts). */
export const SERVICES: readonly ServiceSpec[] = (
  [
    ['ingest-api', 3100],
    ['serving-api', 3200],
    ['speed-layer', 3300],
    ['batch-layer', 3400],
  ] as const
).map(([name, port]) => ({
  name,
  port,
  portKey: `TRIBUTARY_${name.toUpperCase().replace(/-/g, '_')}_PORT`,
  command: ['node', `apps/${name}/dist/main.js`],
}));

export const SERVICE_NAMES = SERVICES.map((service) => service.name);

export function serviceSpec(name: string): ServiceSpec {
  const spec = SERVICES.find((service) => service.name === name);
  if (!spec) throw new Error(`Unknown service ${name}`);
  return spec;
}

/** Kafka topics and consumer groups the deployment provisions and scales on. */
export const EVENTS_TOPIC = 'tributary.events.v1';
export const DLQ_TOPIC = 'tributary.events.dlq.v1';
export const CONSUMER_GROUPS = { speed: 'speed-layer', lake: 'batch-layer' } as const;

/** Keys of the Kubernetes Secret `tributary-secrets` (and of Terraform's Secrets Manager map). */
export const SECRET_NAME = 'tributary-secrets';
export const SECRET_KEYS = ['postgres-url', 'redis-url', 'clickhouse-password'] as const;

/** What the code says about a service: its default port and the dependencies it waits for. */
export interface ServiceSource {
  defaultPort: number | undefined;
  readiness: Dependency[];
  hasMain: boolean;
}

/** Reads apps/<name>/src/<name>.service.ts, the ServiceDefinition each deployment must match. */
export function readServiceSource(name: string): ServiceSource {
  const text = readRepoFile(`apps/${name}/src/${name}.service.ts`);
  const port = /defaultPort:\s*(\d+)/.exec(text);
  const readiness = /readinessChecks\(\s*config\s*,\s*\[([^\]]*)\]/.exec(text);
  return {
    defaultPort: port ? Number(port[1]) : undefined,
    readiness: readiness
      ? (readiness[1].match(/'([a-z]+)'/g) ?? []).map((quoted) => quoted.slice(1, -1) as Dependency)
      : [],
    hasMain: repoFileExists(`apps/${name}/src/main.ts`),
  };
}
