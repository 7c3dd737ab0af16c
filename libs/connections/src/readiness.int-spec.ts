import { loadConfig } from '@tributary/config';
import { localServices } from '@tributary/testing';
import { readinessChecks } from './readiness';

function distributedConfig(overrides: NodeJS.ProcessEnv = {}) {
  const services = localServices();
  return loadConfig(
    {
      TRIBUTARY_PROFILE: 'distributed',
      TRIBUTARY_KAFKA_BROKERS: services.kafkaBrokers.join(','),
      TRIBUTARY_POSTGRES_URL: services.postgresUrl,
      TRIBUTARY_REDIS_URL: services.redisUrl,
      TRIBUTARY_CLICKHOUSE_URL: 'http://127.0.0.1:1',
      ...overrides,
    },
    { onWarning: () => undefined },
  );
}

describe(readinessChecks.name, () => {
  it('probes the real Kafka, Postgres and Redis and finds them up', async () => {
    const checks = readinessChecks(distributedConfig(), ['kafka', 'postgres', 'redis']);
    expect(checks.map((c) => c.name)).toEqual(['kafka', 'postgres', 'redis']);
    for (const check of checks) await expect(check.check()).resolves.toBeUndefined();
    for (const check of checks) await check.close?.();
  });

  it('reports a dependency that does not answer', async () => {
    const [redis] = readinessChecks(
      distributedConfig({ TRIBUTARY_REDIS_URL: 'redis://127.0.0.1:1' }),
      ['redis'],
    );
    await expect(redis.check()).rejects.toThrow();
    await redis.close?.();
  });
});
