import type { EventBus } from './event-bus';
import type { OffsetResetTarget, PartitionReset } from './group-offsets';
import type { PartitionConsumerOptions, RunningConsumer } from './partition-consumer';

/** A readiness probe of the log, in the shape libs/connections' readiness checks take. */
export interface LogReadiness {
  name: string;
  check(): Promise<void>;
  close?(): Promise<void>;
}

/**
 * The messaging port: everything the services do with the log, whichever adapter is behind it —
 * Kafka in the distributed profile (KafkaLog), files under the data folder in the embedded one
 * (EmbeddedLog). The profile only selects the adapter; the call sites and their delivery
 * semantics are the same (tests: log-contract.ts, run against both).
 *
 * - `publish` resolves once every record is durable (Kafka: acks=all; embedded: fsynced) and
 *   rejects with BusUnavailableError otherwise; records of one key keep their order and their
 *   partition.
 * - `consume` feeds a PartitionSink with exactly-once effect (see runPartitionConsumer): offsets
 *   are committed only after the sink acknowledged a range, and what the sink already holds is
 *   skipped after a crash or a rebalance.
 */
export interface MessageLog extends EventBus {
  /** Which adapter this is, for logs and readiness. */
  readonly kind: 'kafka' | 'embedded';
  /** Joins consumer group `groupId` on `topic` and writes what it is assigned into the sink. */
  consume(options: PartitionConsumerOptions): Promise<RunningConsumer>;
  /** The next offset to be written per partition of a topic (high watermarks). */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  /** Throws GroupActiveError while the group has members. */
  assertGroupInactive(groupId: string): Promise<void>;
  /**
   * Moves an inactive group's committed offsets on one topic (a replay); refuses with
   * GroupActiveError while it has members, and offsets outside the retained range, before
   * anything is changed.
   */
  resetGroupOffsets(options: {
    groupId: string;
    topic: string;
    target: OffsetResetTarget;
  }): Promise<PartitionReset[]>;
  /** A readiness probe of this log. */
  readiness(): LogReadiness;
}
