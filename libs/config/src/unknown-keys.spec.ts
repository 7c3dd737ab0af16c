import { readConfig } from './loader';

describe(readConfig.name, () => {
  describe('unknown keys', () => {
    it('warns about a misspelt key and suggests the nearest real one', () => {
      const { config, warnings } = readConfig({
        TRIBUTARY_KAFKA_BROKER: 'kafka:9092',
        TRIBUTARY_SHUTDOWN_TIMOUT: '5s',
      });
      expect(config.kafka.brokers).toBeUndefined();
      expect(warnings).toEqual([
        'TRIBUTARY_KAFKA_BROKER is not a known setting and is ignored (did you mean TRIBUTARY_KAFKA_BROKERS?)',
        'TRIBUTARY_SHUTDOWN_TIMOUT is not a known setting and is ignored (did you mean TRIBUTARY_SHUTDOWN_TIMEOUT?)',
      ]);
    });

    it('reports them with the error when the config is invalid, as they may be the cause', () => {
      expect(() =>
        readConfig({ TRIBUTARY_PROFILE: 'distributed', TRIBUTARY_REDIS_UR: 'redis://r:6379' }),
      ).toThrow(
        'TRIBUTARY_REDIS_URL is required in the distributed profile: expected a redis:// or rediss:// URL\n' +
          'TRIBUTARY_CLICKHOUSE_URL is required in the distributed profile: expected an http:// or https:// URL\n' +
          'Warnings:\n' +
          'TRIBUTARY_REDIS_UR is not a known setting and is ignored (did you mean TRIBUTARY_REDIS_URL?)',
      );
    });

    it('warns without a hint when no real key is close', () => {
      expect(readConfig({ TRIBUTARY_FEATURE_X: 'on' }).warnings).toEqual([
        'TRIBUTARY_FEATURE_X is not a known setting and is ignored',
      ]);
    });

    it('stays quiet about keys the repo reads elsewhere and about non-Tributary keys', () => {
      const elsewhere = [
        'TRIBUTARY_INGEST_API_PORT',
        'TRIBUTARY_BATCH_LAYER_PORT',
        'TRIBUTARY_HOST',
        'TRIBUTARY_SERVICES_DIR',
        'TRIBUTARY_CACHE_DIR',
        'TRIBUTARY_PG_PORT',
        'TRIBUTARY_REDIS_PORT',
        'TRIBUTARY_KAFKA_PORT',
        'TRIBUTARY_KAFKA_CONTROLLER_PORT',
        'TRIBUTARY_KAFKA_VERSION',
        'TRIBUTARY_KAFKA_READY_TIMEOUT',
        'TRIBUTARY_JEST_SUMMARY_FILE',
      ];
      const env = Object.fromEntries(elsewhere.map((key) => [key, '1']));
      expect(readConfig({ ...env, PATH: '/usr/bin', NODE_ENV: 'production' }).warnings).toEqual([]);
    });
  });
});
