import type { Config } from '@jest/types';
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { localServices } from '../local-services';

const repoRoot = join(__dirname, '..', '..', '..', '..');

type ServiceName = 'postgres' | 'redis' | 'kafka';

/**
 * Jest global setup for integration tests: when a service the project needs does not listen, run
 * `scripts/services.sh up` (idempotent; installs and starts what is missing) and fail the run with
 * the script's own message if it cannot. Tests then connect with localServices().
 *
 * A project names what it needs in its jest config: `globals: { tributaryServices: ['kafka'] }`
 * (default: all), so a chDB-only project never waits for Kafka.
 */
export default async function globalSetup(
  _global: Config.GlobalConfig,
  project: Config.ProjectConfig,
): Promise<void> {
  const needed = (project.globals?.tributaryServices as ServiceName[] | undefined) ?? [
    'postgres',
    'redis',
    'kafka',
  ];
  const services = localServices();
  const endpoints: Record<ServiceName, string> = {
    postgres: new URL(services.postgresUrl).host,
    redis: new URL(services.redisUrl).host,
    kafka: services.kafkaBrokers[0],
  };
  const down: string[] = [];
  for (const name of needed) {
    if (!(await listens(endpoints[name]))) down.push(name);
  }
  if (down.length === 0) return;

  process.stderr.write(
    `\n[tributary] not running: ${down.join(', ')}; starting scripts/services.sh up\n`,
  );
  const result = spawnSync('bash', [join(repoRoot, 'scripts', 'services.sh'), 'up'], {
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    throw new Error(
      `scripts/services.sh up failed (exit ${result.status ?? result.signal}); integration tests need ${down.join(', ')}`,
    );
  }
}

function listens(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
