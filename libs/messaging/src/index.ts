export { createKafka, createProducer, type KafkaConnectionOptions } from './kafka-client';
