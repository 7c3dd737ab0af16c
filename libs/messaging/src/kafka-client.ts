import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';

export interface KafkaConnectionOptions {
  brokers: string[];
  /** Shows up in broker logs and quotas; one per service (`ingest-api`). */
  clientId: string;
  connectionTimeoutMs?: number;
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** Retries of a failed request (kafkajs default 5, with exponential backoff). */
  retries?: number;
}

const levels = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

export function createKafka(options: KafkaConnectionOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    logLevel: levels[options.logLevel ?? 'warn'],
    ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
  });
}

/**
 * The producer every publisher uses. Idempotent (the broker drops a retried batch it already has,
 * so producer retries add no copies), which implies acks=all; one request in flight keeps the
 * order of a partition across retries. The default (murmur2) partitioner sends one key to one
 * partition, as the Java client does; downstream dedup relies on that.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
