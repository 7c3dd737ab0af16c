export { createKafka, createProducer, type KafkaConnectionOptions } from './kafka-client';
export { kafkaReadiness } from './kafka-readiness';
