import { type ChildProcess, spawn } from 'node:child_process';
import { Module } from '@nestjs/common';
import { loadConfig } from '@tributary/config';
import { startTestService, type TestService } from '@tributary/platform';
import { freePort, localServices, waitFor } from '@tributary/testing';
import { readinessChecks } from './readiness';

@Module({})
class WorkerModule {}

/** A Redis of this test's own, so stopping it disturbs no other test. */
function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
}

async function readyStatus(
  service: TestService | undefined,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${service?.url}/health/ready`);
  return { status: response.status, body: await response.json() };
}

describe('GET /health/ready with a real dependency', () => {
  let redis: ChildProcess | undefined;
  let service: TestService | undefined;

  afterAll(async () => {
    await service?.stop('test finished');
    redis?.kill('SIGKILL');
  });

  it('answers 503 while Redis is stopped and 200 again once it is back', async () => {
    const port = await freePort();
    redis = startRedis(port);
    const env = {
      TRIBUTARY_PROFILE: 'distributed',
      TRIBUTARY_KAFKA_BROKERS: localServices().kafkaBrokers.join(','),
      TRIBUTARY_POSTGRES_URL: localServices().postgresUrl,
      TRIBUTARY_REDIS_URL: `redis://127.0.0.1:${port}`,
      TRIBUTARY_CLICKHOUSE_URL: 'http://127.0.0.1:8123',
    };
    const config = loadConfig(env, { onWarning: () => undefined });
    service = await startTestService(
      {
        name: 'worker',
        module: WorkerModule,
        defaultPort: 0,
        readiness: () => readinessChecks(config, ['redis']),
      },
      env,
    );

    await waitFor(async () => expect((await readyStatus(service)).status).toBe(200));

    redis.kill('SIGKILL');
    await new Promise((resolve) => redis?.once('exit', resolve));
    await waitFor(async () =>
      expect(await readyStatus(service)).toMatchObject({
        status: 503,
        body: { status: 'error', checks: { redis: { status: 'down' } } },
      }),
    );

    redis = startRedis(port);
    await waitFor(async () =>
      expect(await readyStatus(service)).toMatchObject({
        status: 200,
        body: { status: 'ok', checks: { redis: { status: 'up' } } },
      }),
    );
  });
});
