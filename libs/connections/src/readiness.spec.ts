import { loadConfig } from '@tributary/config';
import { readinessChecks } from './readiness';

describe(readinessChecks.name, () => {
  it('probes only the embedded log in the embedded profile', () => {
    const checks = readinessChecks(loadConfig({}), ['kafka', 'postgres', 'redis', 'clickhouse']);
    expect(checks.map((c) => c.name)).toEqual(['embedded-log']);
    expect(readinessChecks(loadConfig({}), ['postgres', 'clickhouse'])).toEqual([]);
  });

  it('builds one probe per declared dependency in the distributed profile, without connecting', () => {
    const config = loadConfig({
      TRIBUTARY_PROFILE: 'distributed',
      TRIBUTARY_KAFKA_BROKERS: 'kafka:9092',
      TRIBUTARY_POSTGRES_URL: 'postgres://u:p@db:5432/t',
      TRIBUTARY_REDIS_URL: 'redis://redis:6379',
      TRIBUTARY_CLICKHOUSE_URL: 'http://clickhouse:8123',
    });
    const checks = readinessChecks(config, ['kafka', 'clickhouse']);
    expect(checks.map((c) => c.name)).toEqual(['kafka', 'clickhouse']);
  });
});
