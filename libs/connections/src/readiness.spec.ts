import { loadConfig } from '@tributary/config';
import { readinessChecks } from './readiness';

describe(readinessChecks.name, () => {
  it('has nothing to probe in the embedded profile', () => {
    expect(readinessChecks(loadConfig({}), ['kafka', 'postgres', 'redis', 'clickhouse'])).toEqual(
      [],
    );
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
