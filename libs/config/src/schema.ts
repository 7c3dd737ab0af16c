import { bool, brokerList, byteSize, duration, integer, oneOf, ratio, text, url } from './parsers';
import { type ConfigOf, optional, PROFILES, setting } from './setting';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Compression of produced Kafka batches: the codecs kafkajs has built in. */
export const KAFKA_COMPRESSIONS = ['gzip', 'none'] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

/** The outside services only the distributed profile talks to; embedded uses `dataDir` instead. */
const distributedOnly = ['distributed'] as const;

/**
 * Every setting Tributary reads, in one place. Service ports are not here: libs/platform reads
 * `TRIBUTARY_<SERVICE>_PORT` itself, because each process needs only its own.
 */
export const settings = {
  profile: setting({
    key: 'TRIBUTARY_PROFILE',
    parser: oneOf(PROFILES),
    default: 'embedded',
    group: 'runtime',
    description:
      'Runtime profile: embedded runs everything in one process on local files; distributed uses Kafka, Postgres, Redis and ClickHouse.',
  }),
  dataDir: setting({
    key: 'TRIBUTARY_DATA_DIR',
    parser: text(),
    default: '.tributary',
    group: 'runtime',
    description:
      'Folder for the data of the embedded profile (log, chDB, PGlite, lake), relative to the working directory.',
  }),
  kafka: {
    brokers: optional({
      key: 'TRIBUTARY_KAFKA_BROKERS',
      parser: brokerList(),
      requiredIn: distributedOnly,
      group: 'kafka',
      description:
        'Kafka bootstrap brokers. Unset (embedded profile): the services use the embedded log under the data folder instead.',
    }),
    clientId: setting({
      key: 'TRIBUTARY_KAFKA_CLIENT_ID',
      parser: text({
        pattern: /^[A-Za-z0-9._-]+$/,
        expected: 'letters, digits, dots, underscores and dashes',
      }),
      default: 'tributary',
      group: 'kafka',
      description: 'Client id sent to Kafka; it names this deployment in broker logs and quotas.',
    }),
    eventsTopic: setting({
      key: 'TRIBUTARY_EVENTS_TOPIC',
      parser: text({
        pattern: /^[A-Za-z0-9._-]{1,249}$/,
        expected: 'a Kafka topic name (letters, digits, . _ -)',
      }),
      default: 'tributary.events.v1',
      group: 'kafka',
      description: 'Topic of accepted events (keyed by subject_id, else event_id).',
    }),
    dlqTopic: setting({
      key: 'TRIBUTARY_DLQ_TOPIC',
      parser: text({
        pattern: /^[A-Za-z0-9._-]{1,249}$/,
        expected: 'a Kafka topic name (letters, digits, . _ -)',
      }),
      default: 'tributary.events.dlq.v1',
      group: 'kafka',
      description: 'Dead-letter topic: refused events with their reasons and original payload.',
    }),
    topicPartitions: setting({
      key: 'TRIBUTARY_KAFKA_TOPIC_PARTITIONS',
      parser: integer({ min: 1, max: 10_000 }),
      default: '6',
      group: 'kafka',
      description:
        'Partitions of the event and DLQ topics when the ingest API (or the embedded log) creates them; the unit of consumer parallelism.',
    }),
    replicationFactor: setting({
      key: 'TRIBUTARY_KAFKA_REPLICATION_FACTOR',
      parser: integer({ min: 1, max: 7 }),
      default: '1',
      group: 'kafka',
      description:
        'Replication factor of topics the ingest API creates; use 3 on a production cluster.',
    }),
    compression: setting({
      key: 'TRIBUTARY_KAFKA_COMPRESSION',
      parser: oneOf(KAFKA_COMPRESSIONS),
      default: 'gzip',
      group: 'kafka',
      description:
        'Compression of the batches the ingest API produces: gzip cuts the bytes of JSON events several-fold (9x for the benchmark events) on broker disk, network and consumer fetches, for CPU in the producer; none spares that CPU where bandwidth and disk are cheap.',
    }),
  },
  speed: {
    consumerGroup: setting({
      key: 'TRIBUTARY_SPEED_CONSUMER_GROUP',
      parser: text({
        pattern: /^[A-Za-z0-9._-]{1,200}$/,
        expected: 'a Kafka consumer group id (letters, digits, . _ -)',
      }),
      default: 'speed',
      group: 'speed',
      description:
        'Consumer group of the speed layer; its members share the partitions of the events topic.',
    }),
    fetchBytes: setting({
      key: 'TRIBUTARY_SPEED_FETCH_BYTES',
      parser: byteSize({ min: 1024 }),
      default: '1MiB',
      group: 'speed',
      description:
        'Most bytes fetched per partition at once; bigger fetches mean bigger ClickHouse inserts.',
    }),
    rangeSize: setting({
      key: 'TRIBUTARY_SPEED_RANGE_SIZE',
      parser: integer({ min: 1, max: 1_000_000 }),
      default: '10000',
      group: 'speed',
      description: 'Most events per ClickHouse insert (one offset range, one deduplication token).',
    }),
    fetchMinBytes: setting({
      key: 'TRIBUTARY_SPEED_FETCH_MIN_BYTES',
      parser: byteSize({ min: 1 }),
      default: '1B',
      group: 'speed',
      description:
        'Flush by size: the broker holds a fetch until it has this many bytes for the member (or TRIBUTARY_SPEED_FETCH_MAX_WAIT passed), so a steady trickle is written in fewer, larger inserts.',
    }),
    fetchMaxWait: setting({
      key: 'TRIBUTARY_SPEED_FETCH_MAX_WAIT',
      parser: duration(),
      default: '5s',
      group: 'speed',
      description:
        'Flush by time: the longest the broker holds a fetch waiting for TRIBUTARY_SPEED_FETCH_MIN_BYTES; bounds what the linger adds to freshness.',
    }),
    partitionsInParallel: setting({
      key: 'TRIBUTARY_SPEED_PARTITIONS_IN_PARALLEL',
      parser: integer({ min: 1, max: 256 }),
      default: '6',
      group: 'speed',
      description:
        "How many of a member's partitions are written to ClickHouse at the same time; each partition's ranges stay in order. Overlaps decoding with inserts and cuts freshness when a member holds several partitions.",
    }),
    allowedLateness: setting({
      key: 'TRIBUTARY_SPEED_ALLOWED_LATENESS',
      parser: duration(),
      default: '1h',
      group: 'speed',
      description:
        'An event ingested more than this long after its occurred_at is late: still stored and counted in every view (by ingestion time the merge stays exact), and counted in tributary_late_events_total.',
    }),
  },
  ingest: {
    maxBodyBytes: setting({
      key: 'TRIBUTARY_INGEST_MAX_BODY_BYTES',
      parser: byteSize({ min: 1024 }),
      default: '5MiB',
      group: 'ingest',
      description: 'Largest request body, after gzip decoding; larger bodies get 413.',
    }),
    maxEvents: setting({
      key: 'TRIBUTARY_INGEST_MAX_EVENTS',
      parser: integer({ min: 1, max: 100_000 }),
      default: '1000',
      group: 'ingest',
      description: 'Most events in one request; more gets 413.',
    }),
    maxEventBytes: setting({
      key: 'TRIBUTARY_INGEST_MAX_EVENT_BYTES',
      parser: byteSize({ min: 256 }),
      default: '64KiB',
      group: 'ingest',
      description: 'Largest single event (its JSON); a larger one is rejected on its own.',
    }),
    maxFutureSkew: setting({
      key: 'TRIBUTARY_INGEST_MAX_FUTURE_SKEW',
      parser: duration(),
      default: '5m',
      group: 'ingest',
      description:
        'How far occurred_at may lie in the future (client clocks drift); later is rejected.',
    }),
    publishTimeout: setting({
      key: 'TRIBUTARY_INGEST_PUBLISH_TIMEOUT',
      parser: duration(),
      default: '5s',
      group: 'ingest',
      description:
        "Longest wait for Kafka to acknowledge a request's events before answering 503 with Retry-After.",
    }),
    rateLimit: setting({
      key: 'TRIBUTARY_INGEST_RATE_LIMIT',
      parser: integer({ min: 1 }),
      default: '20000',
      group: 'ingest',
      description:
        'Events per second each source may send to one ingest instance (bursts up to twice that); more gets 429.',
    }),
  },
  postgres: {
    url: optional({
      key: 'TRIBUTARY_POSTGRES_URL',
      parser: url({ protocols: ['postgres', 'postgresql'] }),
      requiredIn: distributedOnly,
      sensitive: true,
      group: 'postgres',
      description: 'Metadata database (sources, keys, schema registry, runs); may hold a password.',
    }),
  },
  redis: {
    url: optional({
      key: 'TRIBUTARY_REDIS_URL',
      parser: url({ protocols: ['redis', 'rediss'] }),
      requiredIn: distributedOnly,
      group: 'redis',
      description: 'Redis for the job queue; rediss:// for TLS.',
    }),
  },
  clickhouse: {
    url: optional({
      key: 'TRIBUTARY_CLICKHOUSE_URL',
      parser: url({ protocols: ['http', 'https'] }),
      requiredIn: distributedOnly,
      group: 'clickhouse',
      description: 'ClickHouse server HTTP interface.',
    }),
    password: optional({
      key: 'TRIBUTARY_CLICKHOUSE_PASSWORD',
      parser: text(),
      sensitive: true,
      group: 'clickhouse',
      description: 'ClickHouse password; unset means the passwordless default user of the server.',
    }),
  },
  serving: {
    auth: setting({
      key: 'TRIBUTARY_SERVING_AUTH',
      parser: oneOf(['auto', 'token', 'none'] as const),
      default: 'auto',
      group: 'serving',
      description:
        'Who may query: token = a read token (Authorization: Bearer trr_…, `npm run admin -- token create`) on /v1/* and /quality; none = anyone; auto = token when a metadata store (TRIBUTARY_POSTGRES_URL) is configured, else none.',
    }),
    rateLimit: setting({
      key: 'TRIBUTARY_SERVING_RATE_LIMIT',
      parser: integer({ min: 1 }),
      default: '50',
      group: 'serving',
      description:
        'Queries per second each read token may make to one serving instance (bursts up to twice that); more gets 429 with Retry-After.',
    }),
    maxRows: setting({
      key: 'TRIBUTARY_SERVING_MAX_ROWS',
      parser: integer({ min: 1, max: 10_000_000 }),
      default: '100000',
      group: 'serving',
      description:
        'Most rows one query may ask for (limit); larger limits are refused with 422, pages continue with the cursor.',
    }),
    cacheBytes: setting({
      key: 'TRIBUTARY_SERVING_CACHE_BYTES',
      parser: byteSize({ min: 0 }),
      default: '64MiB',
      group: 'serving',
      description:
        'Memory for answers that cannot change (as_of a published run), least recently used out first; 0B turns the cache off. ETags and 304 work either way.',
    }),
    queryTimeout: setting({
      key: 'TRIBUTARY_SERVING_QUERY_TIMEOUT',
      parser: duration(),
      default: '10s',
      group: 'serving',
      description:
        'Longest a query may run in ClickHouse (max_execution_time); a query that runs out answers 422 with the reason.',
    }),
  },
  lake: {
    path: optional({
      key: 'TRIBUTARY_LAKE_PATH',
      parser: text({
        pattern: /^[A-Za-z0-9_.\-/]+$/,
        expected:
          'a folder inside the working directory (letters, digits, _ . - /), e.g. .tributary/lake',
      }),
      group: 'lake',
      description:
        'Folder of the Iceberg lake when it is local (embedded profile, or a server without S3); unset means `lake` under the data folder. The embedded engine only writes inside the working directory.',
    }),
    s3Url: optional({
      key: 'TRIBUTARY_LAKE_S3_URL',
      parser: url({ protocols: ['http', 'https'] }),
      group: 'lake',
      description:
        'S3 (or MinIO) prefix of the Iceberg lake for a ClickHouse server (IcebergS3); credentials come from the server’s own configuration. Unset means the local folder.',
    }),
  },
  lakeMaintenance: {
    schedule: setting({
      key: 'TRIBUTARY_LAKE_MAINTENANCE_SCHEDULE',
      parser: text({
        pattern: /^\S+( \S+){4,5}$/,
        expected: 'a cron expression of 5 or 6 fields, in UTC, e.g. 30 3 * * *',
      }),
      default: '30 3 * * *',
      group: 'lake',
      description:
        'When the batch layer expires old snapshots and deletes orphan files of the lake tables (cron, UTC).',
    }),
    snapshotRetention: setting({
      key: 'TRIBUTARY_LAKE_SNAPSHOT_RETENTION',
      parser: duration(),
      default: '168h',
      group: 'lake',
      description:
        'How far back lake snapshots are kept (time travel by Iceberg snapshot reaches this far); older ones are expired.',
    }),
    orphanAge: setting({
      key: 'TRIBUTARY_LAKE_ORPHAN_AGE',
      parser: duration(),
      default: '72h',
      group: 'lake',
      description:
        'Files no snapshot references are deleted once older than this (never a commit in flight).',
    }),
    compactionTargetSize: setting({
      key: 'TRIBUTARY_LAKE_COMPACTION_TARGET_SIZE',
      parser: byteSize({ min: 1024 }),
      default: '128MiB',
      group: 'lake',
      description:
        'Lake compaction: data files smaller than this, two or more in a partition, are rewritten into files of up to this size (local lake; one replace snapshot per run).',
    }),
  },
  batch: {
    consumerGroup: setting({
      key: 'TRIBUTARY_BATCH_CONSUMER_GROUP',
      parser: text({
        pattern: /^[A-Za-z0-9._-]{1,200}$/,
        expected: 'a Kafka consumer group id (letters, digits, . _ -)',
      }),
      default: 'lake',
      group: 'batch',
      description: 'Consumer group of the lake writer, which appends events to the master dataset.',
    }),
    commitRows: setting({
      key: 'TRIBUTARY_BATCH_COMMIT_ROWS',
      parser: integer({ min: 1, max: 10_000_000 }),
      default: '100000',
      group: 'batch',
      description: 'The lake writer commits to Iceberg once this many events wait…',
    }),
    commitInterval: setting({
      key: 'TRIBUTARY_BATCH_COMMIT_INTERVAL',
      parser: duration(),
      default: '10s',
      group: 'batch',
      description:
        '…or once the oldest waiting event is this old. Fewer, larger commits mean fewer, larger files.',
    }),
    schedule: setting({
      key: 'TRIBUTARY_BATCH_SCHEDULE',
      parser: text({
        pattern: /^\S+( \S+){4,5}$/,
        expected: 'a cron expression of 5 or 6 fields, in UTC, e.g. */15 * * * *',
      }),
      default: '*/15 * * * *',
      group: 'batch',
      description: 'When each view is recomputed (cron, UTC); every view runs on this schedule.',
    }),
    cutLag: setting({
      key: 'TRIBUTARY_BATCH_CUT_LAG',
      parser: duration(),
      default: '1m',
      group: 'batch',
      description:
        'How far behind the lake’s completeness a batch cut stays: at least the ingest publish timeout, since an event is stamped before Kafka appends it.',
    }),
    sla: setting({
      key: 'TRIBUTARY_BATCH_SLA',
      parser: duration(),
      default: '2h',
      group: 'batch',
      description:
        'Longest a view’s batch watermark may trail now: a run publishing later than its scheduled time plus this is logged as an SLA miss (the TributaryBatchSlaMissed alert uses the same 2 h on tributary_data_freshness_seconds{layer="batch"}).',
    }),
    retainCopies: setting({
      key: 'TRIBUTARY_BATCH_RETAIN_COPIES',
      parser: integer({ min: 0, max: 100 }),
      default: '3',
      group: 'batch',
      description:
        'Published serving copies kept besides the live one, for as_of reads of recent runs.',
    }),
  },
  quality: {
    schedule: setting({
      key: 'TRIBUTARY_DQ_SCHEDULE',
      parser: text({
        pattern: /^\S+( \S+){4,5}$/,
        expected: 'a cron expression of 5 or 6 fields, in UTC, e.g. 0 * * * *',
      }),
      default: '0 * * * *',
      group: 'quality',
      description:
        'When the batch layer runs the bundled suites of the real-time tables (checkpoint realtime-hourly; cron, UTC). A suite whose table is not in its warehouse is skipped.',
    }),
    webhookUrl: optional({
      key: 'TRIBUTARY_DQ_WEBHOOK_URL',
      parser: url({ protocols: ['http', 'https'] }),
      sensitive: true,
      group: 'quality',
      description:
        'Slack-compatible incoming webhook that data-quality alerts are posted to when an error-severity expectation fails; unset means log and metrics only. Holds a token.',
    }),
    sampleRows: setting({
      key: 'TRIBUTARY_DQ_SAMPLE_ROWS',
      parser: integer({ min: 0, max: 100 }),
      default: '5',
      group: 'quality',
      description:
        'Failing rows kept per data-quality expectation as samples for the results and the report.',
    }),
  },
  connectors: {
    dir: optional({
      key: 'TRIBUTARY_CONNECTORS_DIR',
      parser: text(),
      group: 'connectors',
      description:
        'Folder of connector configs (*.yaml): batch pulls from Postgres tables and files that the batch layer runs on their schedules. Unset means no connectors.',
    }),
    s3Endpoint: optional({
      key: 'TRIBUTARY_CONNECTORS_S3_ENDPOINT',
      parser: url({ protocols: ['http', 'https'] }),
      group: 'connectors',
      description:
        'S3-compatible server that files connectors with an s3://bucket/prefix location read from (MinIO, Ceph, …; path-style requests); unset means AWS S3.',
    }),
    s3Region: setting({
      key: 'TRIBUTARY_CONNECTORS_S3_REGION',
      parser: text(),
      default: 'us-east-1',
      group: 'connectors',
      description: 'Region of the S3 buckets that files connectors read.',
    }),
    s3AccessKeyId: optional({
      key: 'TRIBUTARY_CONNECTORS_S3_ACCESS_KEY_ID',
      parser: text(),
      sensitive: true,
      group: 'connectors',
      description:
        'Access key id for the S3 buckets of files connectors, with TRIBUTARY_CONNECTORS_S3_SECRET_ACCESS_KEY; unset means the AWS SDK default chain (AWS_* variables, profile, instance role).',
    }),
    s3SecretAccessKey: optional({
      key: 'TRIBUTARY_CONNECTORS_S3_SECRET_ACCESS_KEY',
      parser: text(),
      sensitive: true,
      group: 'connectors',
      description: 'Secret access key that goes with TRIBUTARY_CONNECTORS_S3_ACCESS_KEY_ID.',
    }),
  },
  telemetry: {
    otlpEndpoint: optional({
      key: 'TRIBUTARY_OTLP_ENDPOINT',
      parser: url({ protocols: ['http', 'https'] }),
      group: 'telemetry',
      description: 'OTLP/HTTP collector for traces; unset means traces are not exported.',
    }),
    sampleRatio: setting({
      key: 'TRIBUTARY_TRACE_SAMPLE_RATIO',
      parser: ratio(),
      default: '1',
      group: 'telemetry',
      description: 'Share of new traces to sample, from 0 (none) to 1 (all).',
    }),
    consoleExporter: setting({
      key: 'TRIBUTARY_TRACE_CONSOLE_EXPORTER',
      parser: bool(),
      default: 'false',
      group: 'telemetry',
      description: 'Also print finished spans to stdout, for local debugging.',
    }),
    environment: setting({
      key: 'TRIBUTARY_ENVIRONMENT',
      parser: text(),
      default: 'local',
      group: 'telemetry',
      description: 'Deployment environment reported with traces and metrics, e.g. staging.',
    }),
  },
  log: {
    level: setting({
      key: 'TRIBUTARY_LOG_LEVEL',
      parser: oneOf(LOG_LEVELS),
      default: 'info',
      group: 'log',
      description: 'Lowest log level written.',
    }),
  },
  shutdown: {
    timeout: setting({
      key: 'TRIBUTARY_SHUTDOWN_TIMEOUT',
      parser: duration(),
      default: '10s',
      group: 'shutdown',
      description:
        'How long a stopping service may drain (in milliseconds once loaded) before it exits.',
    }),
  },
};

/** The validated, frozen configuration services receive (inject it with `APP_CONFIG`). */
export type TributaryConfig = ConfigOf<typeof settings>;
