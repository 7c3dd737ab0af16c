import { describeSettings, isAcceptedKey } from './describe';

describe(describeSettings.name, () => {
  describe('entries', () => {
    it('lists every setting once, in schema order, with its path', () => {
      expect(describeSettings().map(({ key, path }) => `${key} ${path}`)).toEqual([
        'TRIBUTARY_PROFILE profile',
        'TRIBUTARY_DATA_DIR dataDir',
        'TRIBUTARY_KAFKA_BROKERS kafka.brokers',
        'TRIBUTARY_KAFKA_CLIENT_ID kafka.clientId',
        'TRIBUTARY_EVENTS_TOPIC kafka.eventsTopic',
        'TRIBUTARY_DLQ_TOPIC kafka.dlqTopic',
        'TRIBUTARY_KAFKA_TOPIC_PARTITIONS kafka.topicPartitions',
        'TRIBUTARY_KAFKA_REPLICATION_FACTOR kafka.replicationFactor',
        'TRIBUTARY_KAFKA_COMPRESSION kafka.compression',
        'TRIBUTARY_SPEED_CONSUMER_GROUP speed.consumerGroup',
        'TRIBUTARY_SPEED_FETCH_BYTES speed.fetchBytes',
        'TRIBUTARY_SPEED_RANGE_SIZE speed.rangeSize',
        'TRIBUTARY_SPEED_FETCH_MIN_BYTES speed.fetchMinBytes',
        'TRIBUTARY_SPEED_FETCH_MAX_WAIT speed.fetchMaxWait',
        'TRIBUTARY_SPEED_PARTITIONS_IN_PARALLEL speed.partitionsInParallel',
        'TRIBUTARY_SPEED_ALLOWED_LATENESS speed.allowedLateness',
        'TRIBUTARY_INGEST_MAX_BODY_BYTES ingest.maxBodyBytes',
        'TRIBUTARY_INGEST_MAX_EVENTS ingest.maxEvents',
        'TRIBUTARY_INGEST_MAX_EVENT_BYTES ingest.maxEventBytes',
        'TRIBUTARY_INGEST_MAX_FUTURE_SKEW ingest.maxFutureSkew',
        'TRIBUTARY_INGEST_PUBLISH_TIMEOUT ingest.publishTimeout',
        'TRIBUTARY_INGEST_RATE_LIMIT ingest.rateLimit',
        'TRIBUTARY_POSTGRES_URL postgres.url',
        'TRIBUTARY_REDIS_URL redis.url',
        'TRIBUTARY_CLICKHOUSE_URL clickhouse.url',
        'TRIBUTARY_CLICKHOUSE_PASSWORD clickhouse.password',
        'TRIBUTARY_SERVING_AUTH serving.auth',
        'TRIBUTARY_SERVING_RATE_LIMIT serving.rateLimit',
        'TRIBUTARY_SERVING_MAX_ROWS serving.maxRows',
        'TRIBUTARY_SERVING_CACHE_BYTES serving.cacheBytes',
        'TRIBUTARY_SERVING_QUERY_TIMEOUT serving.queryTimeout',
        'TRIBUTARY_LAKE_PATH lake.path',
        'TRIBUTARY_LAKE_S3_URL lake.s3Url',
        'TRIBUTARY_LAKE_MAINTENANCE_SCHEDULE lakeMaintenance.schedule',
        'TRIBUTARY_LAKE_SNAPSHOT_RETENTION lakeMaintenance.snapshotRetention',
        'TRIBUTARY_LAKE_ORPHAN_AGE lakeMaintenance.orphanAge',
        'TRIBUTARY_LAKE_COMPACTION_TARGET_SIZE lakeMaintenance.compactionTargetSize',
        'TRIBUTARY_BATCH_CONSUMER_GROUP batch.consumerGroup',
        'TRIBUTARY_BATCH_COMMIT_ROWS batch.commitRows',
        'TRIBUTARY_BATCH_COMMIT_INTERVAL batch.commitInterval',
        'TRIBUTARY_BATCH_SCHEDULE batch.schedule',
        'TRIBUTARY_BATCH_CUT_LAG batch.cutLag',
        'TRIBUTARY_BATCH_SLA batch.sla',
        'TRIBUTARY_BATCH_RETAIN_COPIES batch.retainCopies',
        'TRIBUTARY_DQ_SCHEDULE quality.schedule',
        'TRIBUTARY_DQ_WEBHOOK_URL quality.webhookUrl',
        'TRIBUTARY_DQ_SAMPLE_ROWS quality.sampleRows',
        'TRIBUTARY_CONNECTORS_DIR connectors.dir',
        'TRIBUTARY_CONNECTORS_S3_ENDPOINT connectors.s3Endpoint',
        'TRIBUTARY_CONNECTORS_S3_REGION connectors.s3Region',
        'TRIBUTARY_CONNECTORS_S3_ACCESS_KEY_ID connectors.s3AccessKeyId',
        'TRIBUTARY_CONNECTORS_S3_SECRET_ACCESS_KEY connectors.s3SecretAccessKey',
        'TRIBUTARY_OTLP_ENDPOINT telemetry.otlpEndpoint',
        'TRIBUTARY_TRACE_SAMPLE_RATIO telemetry.sampleRatio',
        'TRIBUTARY_TRACE_CONSOLE_EXPORTER telemetry.consoleExporter',
        'TRIBUTARY_ENVIRONMENT telemetry.environment',
        'TRIBUTARY_LOG_LEVEL log.level',
        'TRIBUTARY_SHUTDOWN_TIMEOUT shutdown.timeout',
      ]);
    });

    it('describes each with a group, a description and the expected form', () => {
      for (const entry of describeSettings()) {
        expect(entry.group).not.toBe('');
        expect(entry.description).not.toBe('');
        expect(entry.expected).not.toBe('');
      }
    });

    it('gives defaults per profile in env form and says where a value is required', () => {
      const byKey = new Map(describeSettings().map((entry) => [entry.key, entry]));
      expect(byKey.get('TRIBUTARY_SHUTDOWN_TIMEOUT')).toMatchObject({
        defaults: { embedded: '10s', distributed: '10s' },
        requiredIn: [],
        expected: 'a duration such as 250ms, 30s, 5m or 1h',
      });
      expect(byKey.get('TRIBUTARY_KAFKA_BROKERS')).toMatchObject({
        defaults: { embedded: undefined, distributed: undefined },
        requiredIn: ['distributed'],
      });
    });

    it('marks the secrets and names the key that reads each from a file', () => {
      const secrets = describeSettings().filter((entry) => entry.sensitive);
      expect(secrets.map(({ key, fileKey }) => ({ key, fileKey }))).toEqual([
        { key: 'TRIBUTARY_POSTGRES_URL', fileKey: 'TRIBUTARY_POSTGRES_URL_FILE' },
        { key: 'TRIBUTARY_CLICKHOUSE_PASSWORD', fileKey: 'TRIBUTARY_CLICKHOUSE_PASSWORD_FILE' },
        { key: 'TRIBUTARY_DQ_WEBHOOK_URL', fileKey: 'TRIBUTARY_DQ_WEBHOOK_URL_FILE' },
        {
          key: 'TRIBUTARY_CONNECTORS_S3_ACCESS_KEY_ID',
          fileKey: 'TRIBUTARY_CONNECTORS_S3_ACCESS_KEY_ID_FILE',
        },
        {
          key: 'TRIBUTARY_CONNECTORS_S3_SECRET_ACCESS_KEY',
          fileKey: 'TRIBUTARY_CONNECTORS_S3_SECRET_ACCESS_KEY_FILE',
        },
      ]);
    });
  });
});

describe(isAcceptedKey.name, () => {
  describe('keys a deployment may set', () => {
    it.each([
      'TRIBUTARY_LOG_LEVEL',
      'TRIBUTARY_POSTGRES_URL_FILE',
      'TRIBUTARY_CONFIG_FILE',
      'TRIBUTARY_SPEED_LAYER_PORT',
      'TRIBUTARY_HOST',
    ])('accepts %s', (key) => {
      expect(isAcceptedKey(key)).toBe(true);
    });

    it.each(['TRIBUTARY_KAFKA_BROKER', 'TRIBUTARY_LOG_LEVEL_FILE', 'NODE_ENV'])(
      'refuses %s',
      (key) => {
        expect(isAcceptedKey(key)).toBe(false);
      },
    );
  });
});
