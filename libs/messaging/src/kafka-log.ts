import type { Kafka } from 'kafkajs';
import type { TopicBatch } from './event-bus';
import { assertGroupInactive, type OffsetResetTarget, resetGroupOffsets } from './group-offsets';
import { type KafkaBusOptions, KafkaEventBus } from './kafka-event-bus';
import { kafkaReadiness } from './kafka-readiness';
import type { LogReadiness, MessageLog } from './message-log';
import {
  type PartitionConsumerOptions,
  runPartitionConsumer,
  type RunningKafkaConsumer,
} from './partition-consumer';
import { topicEndOffsets } from './topic-offsets';

/**
 * The messaging port on Kafka (distributed profile): the existing kafkajs pieces behind one
 * object — KafkaEventBus for publishing, runPartitionConsumer, the admin calls of the replay CLIs.
 */
export class KafkaLog implements MessageLog {
  readonly kind = 'kafka';
  private readonly bus: KafkaEventBus;

  constructor(
    readonly kafka: Kafka,
    options: KafkaBusOptions,
  ) {
    this.bus = new KafkaEventBus(kafka, options);
  }

  publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void> {
    return this.bus.publish(batch, options);
  }

  ensureTopics(topics: readonly string[]): Promise<void> {
    return this.bus.ensureTopics(topics);
  }

  consume(options: PartitionConsumerOptions): Promise<RunningKafkaConsumer> {
    return runPartitionConsumer(this.kafka, options);
  }

  endOffsets(topic: string): Promise<Map<number, bigint>> {
    return topicEndOffsets(this.kafka, topic);
  }

  assertGroupInactive(groupId: string): Promise<void> {
    return assertGroupInactive(this.kafka, groupId);
  }

  resetGroupOffsets(options: { groupId: string; topic: string; target: OffsetResetTarget }) {
    return resetGroupOffsets(this.kafka, options);
  }

  readiness(): LogReadiness {
    return kafkaReadiness(this.kafka);
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
