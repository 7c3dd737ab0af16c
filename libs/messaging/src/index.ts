export { createKafka, createProducer, type KafkaConnectionOptions } from './kafka-client';
export { kafkaReadiness } from './kafka-readiness';
export {
  BusUnavailableError,
  EVENT_BUS,
  type EventBus,
  type OutgoingMessage,
  type TopicBatch,
} from './event-bus';
export { type KafkaBusOptions, KafkaEventBus } from './kafka-event-bus';
export {
  type ConsumedRecord,
  type OffsetRange,
  type PartitionConsumerOptions,
  type PartitionSink,
  runPartitionConsumer,
  type RunningConsumer,
  type RunningKafkaConsumer,
} from './partition-consumer';
export { topicEndOffsets } from './topic-offsets';
export {
  assertGroupInactive,
  GroupActiveError,
  type OffsetResetTarget,
  type PartitionReset,
  resetGroupOffsets,
} from './group-offsets';
export type { LogReadiness, MessageLog } from './message-log';
export { KafkaLog } from './kafka-log';
export { EmbeddedLog, type EmbeddedLogOptions } from './embedded/embedded-log';
export { LogLockedError } from './embedded/log-lock';
