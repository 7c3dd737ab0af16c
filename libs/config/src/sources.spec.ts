import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from './loader';
import { distributedEnv, problemsOf } from './spec-helpers';

// A plain temp folder: config sits below libs/testing in the dependency graph, so no helper here.
let dir: { path: string };
beforeEach(() => {
  dir = { path: mkdtempSync(join(tmpdir(), 'tributary-config-')) };
});
afterEach(() => rmSync(dir.path, { recursive: true, force: true }));

function writeTemp(name: string, content: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, content);
  return path;
}

describe(readConfig.name, () => {
  describe('secrets from <KEY>_FILE', () => {
    it('reads the file and trims the trailing newline, as Docker and Kubernetes mount secrets', () => {
      const { TRIBUTARY_POSTGRES_URL: url, ...rest } = distributedEnv;
      const { config, warnings } = readConfig({
        ...rest,
        TRIBUTARY_POSTGRES_URL_FILE: writeTemp('pg-url', `${url}\n`),
        TRIBUTARY_CLICKHOUSE_PASSWORD_FILE: writeTemp('ch-password', 'ch secret \r\n'),
      });
      expect(config.postgres.url).toBe(url);
      expect(config.clickhouse.password).toBe('ch secret ');
      expect(warnings).toEqual([]);
    });

    it('refuses KEY and KEY_FILE together, since either choice would be a guess', () => {
      const path = writeTemp('ch-password', 'from-file');
      expect(
        problemsOf({
          TRIBUTARY_CLICKHOUSE_PASSWORD: 'from-env',
          TRIBUTARY_CLICKHOUSE_PASSWORD_FILE: path,
        }),
      ).toEqual([
        'TRIBUTARY_CLICKHOUSE_PASSWORD and TRIBUTARY_CLICKHOUSE_PASSWORD_FILE are both set: set only one',
      ]);
    });

    it('masks an invalid secret and names the file it came from', () => {
      const path = writeTemp('pg-url', 'mysql://root:hunter2@db/app\n');
      expect(problemsOf({ TRIBUTARY_POSTGRES_URL_FILE: path })).toEqual([
        `TRIBUTARY_POSTGRES_URL=*** (from TRIBUTARY_POSTGRES_URL_FILE=${JSON.stringify(path)}) is invalid: expected a postgres:// or postgresql:// URL`,
      ]);
    });

    it('names the _FILE key when the file cannot be read', () => {
      const path = join(dir.path, 'missing');
      const [problem] = problemsOf({ TRIBUTARY_POSTGRES_URL_FILE: path });
      expect(problem).toMatch(
        /^TRIBUTARY_POSTGRES_URL_FILE="[^"]+missing" cannot be read: ENOENT: no such file/,
      );
    });

    it('reads _FILE only for secrets and warns about it for other settings', () => {
      const { warnings, config } = readConfig({
        TRIBUTARY_LOG_LEVEL_FILE: writeTemp('level', 'debug'),
      });
      expect(config.log.level).toBe('info');
      expect(warnings).toEqual([
        'TRIBUTARY_LOG_LEVEL_FILE is ignored: only secrets can be read from a file (TRIBUTARY_POSTGRES_URL, TRIBUTARY_CLICKHOUSE_PASSWORD, TRIBUTARY_DQ_WEBHOOK_URL, TRIBUTARY_CONNECTORS_S3_ACCESS_KEY_ID, TRIBUTARY_CONNECTORS_S3_SECRET_ACCESS_KEY)',
      ]);
    });
  });

  describe('config file (TRIBUTARY_CONFIG_FILE)', () => {
    const fileSettings = {
      profile: 'distributed',
      kafka: { brokers: ['kafka-1:9092', 'kafka-2:9092'] },
      postgres: { url: 'postgres://pg/tributary' },
      redis: { url: 'redis://redis:6379' },
      clickhouse: { url: 'http://clickhouse:8123' },
      telemetry: { sampleRatio: 0.5, consoleExporter: true },
      log: { level: 'warn' },
      shutdown: { timeout: '1m' },
    };

    it('reads settings nested as in the config, JSON numbers, booleans and lists included', () => {
      const file = writeTemp('tributary.json', JSON.stringify(fileSettings));
      const { config, warnings } = readConfig({ TRIBUTARY_CONFIG_FILE: file });
      expect(config).toMatchObject({
        profile: 'distributed',
        kafka: { brokers: ['kafka-1:9092', 'kafka-2:9092'] },
        postgres: { url: 'postgres://pg/tributary' },
        telemetry: { sampleRatio: 0.5, consoleExporter: true },
        log: { level: 'warn' },
        shutdown: { timeout: 60_000 },
      });
      expect(warnings).toEqual([]);
    });

    it('lets the environment win over the file', () => {
      const file = writeTemp('tributary.json', JSON.stringify(fileSettings));
      const { config } = readConfig({
        TRIBUTARY_CONFIG_FILE: file,
        TRIBUTARY_LOG_LEVEL: 'trace',
        TRIBUTARY_KAFKA_BROKERS: 'other:9092',
      });
      expect(config.log.level).toBe('trace');
      expect(config.kafka.brokers).toEqual(['other:9092']);
      expect(config.telemetry.sampleRatio).toBe(0.5);
    });

    it('names the env key, the path and the file when a file value is invalid', () => {
      const file = writeTemp('tributary.json', JSON.stringify({ telemetry: { sampleRatio: 2 } }));
      expect(problemsOf({ TRIBUTARY_CONFIG_FILE: file })).toEqual([
        `TRIBUTARY_TRACE_SAMPLE_RATIO="2" (telemetry.sampleRatio in ${file}) is invalid: expected a number from 0 to 1`,
      ]);
    });

    it('warns about entries that match no setting', () => {
      const file = writeTemp(
        'tributary.json',
        JSON.stringify({ kafka: { broker: 'k:9092' }, logging: { level: 'info' } }),
      );
      expect(readConfig({ TRIBUTARY_CONFIG_FILE: file }).warnings).toEqual([
        `kafka.broker in ${file} is not a known setting and is ignored (did you mean kafka.brokers?)`,
        `logging in ${file} is not a known setting and is ignored`,
      ]);
    });

    it.each([
      ['is not JSON', '{"log": ', /^TRIBUTARY_CONFIG_FILE="[^"]+" is not valid JSON: /],
      [
        'holds no object',
        '["info"]',
        /^TRIBUTARY_CONFIG_FILE="[^"]+" is invalid: expected a JSON object such as \{"log": \{"level": "info"\}\}$/,
      ],
    ])('refuses a file that %s', (_case, content, message) => {
      const file = writeTemp('tributary.json', content);
      expect(problemsOf({ TRIBUTARY_CONFIG_FILE: file })).toEqual([expect.stringMatching(message)]);
    });

    it('refuses a file that cannot be read, alongside the other problems', () => {
      const file = join(dir.path, 'absent.json');
      expect(problemsOf({ TRIBUTARY_CONFIG_FILE: file, TRIBUTARY_LOG_LEVEL: 'x' })).toEqual([
        expect.stringMatching(/^TRIBUTARY_CONFIG_FILE="[^"]+absent.json" cannot be read: ENOENT/),
        'TRIBUTARY_LOG_LEVEL="x" is invalid: expected one of fatal, error, warn, info, debug, trace',
      ]);
    });
  });
});
