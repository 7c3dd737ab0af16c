import { loadConfig } from './loader';
import { redactConfig } from './redact';
import { distributedEnv } from './spec-helpers';

describe(redactConfig.name, () => {
  describe('secrets', () => {
    it('masks every secret that is set', () => {
      const config = loadConfig({ ...distributedEnv, TRIBUTARY_CLICKHOUSE_PASSWORD: 'ch-secret' });
      const redacted = redactConfig(config);
      expect(redacted.postgres.url).toBe('***');
      expect(redacted.clickhouse.password).toBe('***');
    });

    it('keeps an unset secret undefined: that it is missing is worth seeing', () => {
      expect(redactConfig(loadConfig({})).postgres.url).toBeUndefined();
    });
  });

  describe('other settings', () => {
    it('copies them unchanged and leaves the config itself untouched', () => {
      const config = loadConfig(distributedEnv);
      const redacted = redactConfig(config);
      expect({ ...redacted, postgres: config.postgres }).toStrictEqual(config);
      expect(config.postgres.url).toBe(distributedEnv.TRIBUTARY_POSTGRES_URL);
      expect(redacted).not.toBe(config);
    });
  });
});
