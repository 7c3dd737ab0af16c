import { inspect } from 'node:util';
import { ConfigError } from './errors';
import { loadConfig, readConfig } from './loader';
import { distributedEnv, problemsOf } from './spec-helpers';

const CONNECTORS_DEFAULTS = {
  dir: undefined,
  s3Endpoint: undefined,
  s3Region: 'us-east-1',
  s3AccessKeyId: undefined,
  s3SecretAccessKey: undefined,
};

const LAKE_AND_BATCH_DEFAULTS = {
  serving: {
    auth: 'auto',
    rateLimit: 50,
    maxRows: 100_000,
    cacheBytes: 64 * 1024 * 1024,
    queryTimeout: 10_000,
  },
  lake: { path: undefined, s3Url: undefined },
  lakeMaintenance: {
    schedule: '30 3 * * *',
    snapshotRetention: 604_800_000,
    orphanAge: 259_200_000,
    compactionTargetSize: 134_217_728,
  },
  batch: {
    consumerGroup: 'lake',
    commitRows: 100_000,
    commitInterval: 10_000,
    schedule: '*/15 * * * *',
    cutLag: 60_000,
    sla: 7_200_000,
    retainCopies: 3,
  },
};

describe(loadConfig.name, () => {
  describe('defaults', () => {
    it('runs embedded with no outside services when nothing is set', () => {
      expect(loadConfig({})).toStrictEqual({
        profile: 'embedded',
        dataDir: '.tributary',
        speed: {
          consumerGroup: 'speed',
          fetchBytes: 1_048_576,
          rangeSize: 10_000,
          fetchMinBytes: 1,
          fetchMaxWait: 5_000,
          partitionsInParallel: 6,
          allowedLateness: 3_600_000,
        },
        ingest: {
          maxBodyBytes: 5_242_880,
          maxEvents: 1000,
          maxEventBytes: 65_536,
          maxFutureSkew: 300_000,
          publishTimeout: 5000,
          rateLimit: 20_000,
        },
        kafka: {
          brokers: undefined,
          clientId: 'tributary',
          eventsTopic: 'tributary.events.v1',
          dlqTopic: 'tributary.events.dlq.v1',
          topicPartitions: 6,
          replicationFactor: 1,
          compression: 'gzip',
        },
        postgres: { url: undefined },
        redis: { url: undefined },
        clickhouse: { url: undefined, password: undefined },
        ...LAKE_AND_BATCH_DEFAULTS,
        quality: { schedule: '0 * * * *', webhookUrl: undefined, sampleRows: 5 },
        connectors: CONNECTORS_DEFAULTS,
        telemetry: {
          otlpEndpoint: undefined,
          sampleRatio: 1,
          consoleExporter: false,
          environment: 'local',
        },
        log: { level: 'info' },
        shutdown: { timeout: 10_000 },
      });
    });

    it('defaults everything but the outside services in the distributed profile', () => {
      expect(loadConfig(distributedEnv)).toStrictEqual({
        profile: 'distributed',
        dataDir: '.tributary',
        speed: {
          consumerGroup: 'speed',
          fetchBytes: 1_048_576,
          rangeSize: 10_000,
          fetchMinBytes: 1,
          fetchMaxWait: 5_000,
          partitionsInParallel: 6,
          allowedLateness: 3_600_000,
        },
        ingest: {
          maxBodyBytes: 5_242_880,
          maxEvents: 1000,
          maxEventBytes: 65_536,
          maxFutureSkew: 300_000,
          publishTimeout: 5000,
          rateLimit: 20_000,
        },
        kafka: {
          brokers: ['kafka-1:9092', 'kafka-2:9092'],
          clientId: 'tributary',
          eventsTopic: 'tributary.events.v1',
          dlqTopic: 'tributary.events.dlq.v1',
          topicPartitions: 6,
          replicationFactor: 1,
          compression: 'gzip',
        },
        postgres: { url: 'postgres://tributary:s3cret@pg:5432/tributary' },
        redis: { url: 'redis://redis:6379' },
        clickhouse: { url: 'http://clickhouse:8123', password: undefined },
        ...LAKE_AND_BATCH_DEFAULTS,
        quality: { schedule: '0 * * * *', webhookUrl: undefined, sampleRows: 5 },
        connectors: CONNECTORS_DEFAULTS,
        telemetry: {
          otlpEndpoint: undefined,
          sampleRatio: 1,
          consoleExporter: false,
          environment: 'local',
        },
        log: { level: 'info' },
        shutdown: { timeout: 10_000 },
      });
    });

    it('requires the four outside services in the distributed profile', () => {
      expect(problemsOf({ TRIBUTARY_PROFILE: 'distributed' })).toEqual([
        'TRIBUTARY_KAFKA_BROKERS is required in the distributed profile: expected a comma-separated list of host:port',
        'TRIBUTARY_POSTGRES_URL is required in the distributed profile: expected a postgres:// or postgresql:// URL',
        'TRIBUTARY_REDIS_URL is required in the distributed profile: expected a redis:// or rediss:// URL',
        'TRIBUTARY_CLICKHOUSE_URL is required in the distributed profile: expected an http:// or https:// URL',
      ]);
    });

    it('treats an empty value as unset, as compose files pass KEY=${KEY:-}', () => {
      expect(loadConfig({ TRIBUTARY_LOG_LEVEL: '', TRIBUTARY_PROFILE: '' }).log.level).toBe('info');
    });
  });

  describe('parsing', () => {
    it('reads every setting from its env key', () => {
      const config = loadConfig({
        ...distributedEnv,
        TRIBUTARY_DATA_DIR: '/var/lib/tributary',
        TRIBUTARY_KAFKA_CLIENT_ID: 'tributary-prod',
        TRIBUTARY_KAFKA_COMPRESSION: 'none',
        TRIBUTARY_CLICKHOUSE_PASSWORD: 'ch-secret',
        TRIBUTARY_OTLP_ENDPOINT: 'http://collector:4318',
        TRIBUTARY_TRACE_SAMPLE_RATIO: '0.1',
        TRIBUTARY_TRACE_CONSOLE_EXPORTER: 'true',
        TRIBUTARY_ENVIRONMENT: 'staging',
        TRIBUTARY_LOG_LEVEL: 'debug',
        TRIBUTARY_SHUTDOWN_TIMEOUT: '30s',
      });
      expect(config).toMatchObject({
        dataDir: '/var/lib/tributary',
        kafka: { clientId: 'tributary-prod', compression: 'none' },
        clickhouse: { password: 'ch-secret' },
        telemetry: {
          otlpEndpoint: 'http://collector:4318',
          sampleRatio: 0.1,
          consoleExporter: true,
          environment: 'staging',
        },
        log: { level: 'debug' },
        shutdown: { timeout: 30_000 },
      });
    });

    it.each([
      ['TRIBUTARY_PROFILE', 'cluster', 'one of embedded, distributed'],
      ['TRIBUTARY_KAFKA_BROKERS', 'localhost', 'a comma-separated list of host:port'],
      ['TRIBUTARY_KAFKA_CLIENT_ID', 'my client', 'letters, digits, dots, underscores and dashes'],
      ['TRIBUTARY_KAFKA_COMPRESSION', 'lz4', 'one of gzip, none'],
      ['TRIBUTARY_REDIS_URL', 'http://redis:6379', 'a redis:// or rediss:// URL'],
      ['TRIBUTARY_CLICKHOUSE_URL', 'clickhouse:8123', 'an http:// or https:// URL'],
      ['TRIBUTARY_OTLP_ENDPOINT', 'grpc://collector:4317', 'an http:// or https:// URL'],
      ['TRIBUTARY_TRACE_SAMPLE_RATIO', '1.5', 'a number from 0 to 1'],
      ['TRIBUTARY_TRACE_CONSOLE_EXPORTER', 'yes', 'true, false, 1 or 0'],
      ['TRIBUTARY_LOG_LEVEL', 'verbose', 'one of fatal, error, warn, info, debug, trace'],
      ['TRIBUTARY_SHUTDOWN_TIMEOUT', '10', 'a duration such as 250ms, 30s, 5m or 1h'],
    ])('refuses %s=%j, naming key, value and expected form', (key, value, expected) => {
      expect(problemsOf({ [key]: value })).toEqual([
        `${key}=${JSON.stringify(value)} is invalid: expected ${expected}`,
      ]);
    });

    it('never shows the value of a secret', () => {
      expect(problemsOf({ TRIBUTARY_POSTGRES_URL: 'mysql://root:hunter2@db/app' })).toEqual([
        'TRIBUTARY_POSTGRES_URL=*** is invalid: expected a postgres:// or postgresql:// URL',
      ]);
    });

    it('lists every bad key in one error, one line each', () => {
      const load = () =>
        loadConfig({
          ...distributedEnv,
          TRIBUTARY_POSTGRES_URL: '',
          TRIBUTARY_KAFKA_BROKERS: 'kafka-1',
          TRIBUTARY_TRACE_SAMPLE_RATIO: 'high',
        });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(
        [
          'Invalid configuration (3 problems):',
          'TRIBUTARY_KAFKA_BROKERS="kafka-1" is invalid: expected a comma-separated list of host:port',
          'TRIBUTARY_POSTGRES_URL is required in the distributed profile: expected a postgres:// or postgresql:// URL',
          'TRIBUTARY_TRACE_SAMPLE_RATIO="high" is invalid: expected a number from 0 to 1',
        ].join('\n'),
      );
    });

    it('checks the rest as embedded when the profile itself is invalid, so nothing is guessed', () => {
      expect(problemsOf({ TRIBUTARY_PROFILE: 'prod', TRIBUTARY_LOG_LEVEL: 'loud' })).toEqual([
        'TRIBUTARY_PROFILE="prod" is invalid: expected one of embedded, distributed',
        'TRIBUTARY_LOG_LEVEL="loud" is invalid: expected one of fatal, error, warn, info, debug, trace',
      ]);
    });
  });

  describe('result', () => {
    it('is deeply frozen, since every service shares the one instance', () => {
      const config = loadConfig(distributedEnv);
      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.telemetry)).toBe(true);
      expect(Object.isFrozen(config.kafka.brokers)).toBe(true);
    });

    it('masks secrets when serialised or inspected, so a stray log line cannot leak them', () => {
      const config = loadConfig({ ...distributedEnv, TRIBUTARY_CLICKHOUSE_PASSWORD: 'ch-secret' });
      for (const printed of [JSON.stringify(config), inspect(config, { depth: 5 })]) {
        expect(printed).not.toContain('s3cret');
        expect(printed).not.toContain('ch-secret');
        expect(printed).toContain('***');
        expect(printed).toContain('kafka-1:9092');
      }
    });

    it('hands warnings to onWarning instead of failing', () => {
      const warnings: string[] = [];
      loadConfig({ TRIBUTARY_LOG_LEVL: 'debug' }, { onWarning: (w) => warnings.push(w) });
      expect(warnings).toEqual([
        'TRIBUTARY_LOG_LEVL is not a known setting and is ignored (did you mean TRIBUTARY_LOG_LEVEL?)',
      ]);
    });

    it('writes each warning as one JSON line on stderr by default', () => {
      const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        loadConfig({ TRIBUTARY_KAFKA_BROKER: 'kafka:9092' });
        expect(write).toHaveBeenCalledTimes(1);
        expect(JSON.parse(String(write.mock.calls[0]?.[0]))).toEqual({
          level: 'warn',
          event: 'config.warning',
          message:
            'TRIBUTARY_KAFKA_BROKER is not a known setting and is ignored (did you mean TRIBUTARY_KAFKA_BROKERS?)',
          pid: process.pid,
        });
      } finally {
        write.mockRestore();
      }
    });
  });
});

describe(readConfig.name, () => {
  describe('warnings', () => {
    it('returns the config together with its warnings', () => {
      const { config, warnings } = readConfig({ TRIBUTARY_ENVIROMENT: 'prod' });
      expect(config.telemetry.environment).toBe('local');
      expect(warnings).toEqual([
        'TRIBUTARY_ENVIROMENT is not a known setting and is ignored (did you mean TRIBUTARY_ENVIRONMENT?)',
      ]);
    });
  });
});
