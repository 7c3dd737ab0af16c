import type { TributaryConfig } from '@tributary/config';
import { createKafka } from '@tributary/messaging';

type KafkaClient = ReturnType<typeof createKafka>;

/**
 * The Kafka client of one role of a service (`speed`, `replay`, …): brokers from config and a
 * client id `<TRIBUTARY_KAFKA_CLIENT_ID>[-<role>]`, so broker logs and quotas tell them apart.
 */
export function kafkaFor(config: TributaryConfig, role?: string): KafkaClient {
  if (!config.kafka.brokers) {
    throw new Error('no Kafka brokers configured: set TRIBUTARY_KAFKA_BROKERS (host:port,…)');
  }
  const clientId = role ? `${config.kafka.clientId}-${role}` : config.kafka.clientId;
  return createKafka({ brokers: [...config.kafka.brokers], clientId });
}
