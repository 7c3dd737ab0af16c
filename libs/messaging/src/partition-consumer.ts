import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { writeBatchToSink } from './sink-batch';

/** A fixed offset range of one partition: what a sink writes at once, and its dedup identity. */
export interface OffsetRange {
  topic: string;
  partition: number;
  /** First and last offset of the range (inclusive), as decimal strings like kafkajs offsets. */
  firstOffset: string;
  lastOffset: string;
}

export interface ConsumedRecord {
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * The port a consumer writes through. The sink, not the offset commit, guards exactly-once:
 * `storedUpTo` tells how far a partition is already in the sink (so nothing below it is written
 * again, whatever was committed), and `write` must be idempotent for the same range (a retried
 * write of the same range carries the same dedup token).
 */
export interface PartitionSink {
  storedUpTo(topic: string, partition: number): Promise<string | undefined>;
  write(range: OffsetRange, records: readonly ConsumedRecord[]): Promise<void>;
}

export interface PartitionConsumerOptions {
  groupId: string;
  topic: string;
  sink: PartitionSink;
  /** Most records per sink write (a range); bigger batches are cut into several ranges. */
  maxRangeSize?: number;
  /** Max bytes per fetch; changing it between runs moves batch boundaries (tests do). */
  maxBytesPerPartition?: number;
  /**
   * Fetch linger: the broker answers a fetch once it has `minBytes` for this member or after
   * `maxWaitMs`, so under a steady trickle a range carries that much data, not a handful of
   * records (fewer, larger inserts). Defaults 1 byte and 5 s, kafkajs' own.
   */
  minBytes?: number;
  maxWaitMs?: number;
  /**
   * How many partitions' batches are processed at the same time (kafkajs
   * `partitionsConsumedConcurrently`); each partition's own batches stay in order. Default 1.
   */
  partitionsInParallel?: number;
  /** Backoff for a failing sink: first wait and cap, in ms (jittered, doubling). */
  retry?: { initialMs: number; maxMs: number };
  fromBeginning?: boolean;
  onError?: (error: unknown, range: OffsetRange) => void;
  /**
   * Records of a batch skipped because the sink already holds their offsets (`storedUpTo`): a
   * restart after a crash between write and commit, a rebalance, or a replay.
   */
  onSkipped?: (skipped: { topic: string; partition: number; records: number }) => void;
  /** After each batch: how many records the partition still has beyond this batch (consumer lag). */
  onProgress?: (progress: { topic: string; partition: number; lag: number }) => void;
}

/** A consumer started by `consume`: `stop` leaves the group after the in-flight batch. */
export interface RunningConsumer {
  stop(): Promise<void>;
}

/** The Kafka consumer behind a running partition consumer (KafkaLog's `consume`). */
export interface RunningKafkaConsumer extends RunningConsumer {
  consumer: Consumer;
}

/**
 * Consumes one topic of Kafka into a PartitionSink with exactly-once effect (the loop is
 * writeBatchToSink, shared with the embedded log):
 *
 * 1. Per partition and group generation, ask the sink how far it already is and skip records at
 *    or below that offset. A consumer that died after writing but before committing — or a
 *    partition moved by a rebalance — resumes after what the sink holds, not after the commit.
 * 2. Write in ranges of at most `maxRangeSize` records; a failing write is retried with backoff
 *    (same range, same dedup token) while the member heartbeats, nothing is committed meanwhile,
 *    and the loop gives up the batch as soon as the partition is revoked.
 * 3. Commit the offset after the last record of a range only once the sink acknowledged it.
 */
export async function runPartitionConsumer(
  kafka: Kafka,
  options: PartitionConsumerOptions,
): Promise<RunningKafkaConsumer> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    minBytes: options.minBytes ?? 1,
    maxWaitTimeInMs: options.maxWaitMs ?? 5_000,
    allowAutoTopicCreation: false,
  });
  /** Sink progress per partition, valid for the current generation only. */
  let stored = new Map<number, bigint>();
  consumer.on(consumer.events.GROUP_JOIN, () => {
    stored = new Map();
  });

  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsInParallel ?? 1,
    eachBatch: (payload) => handleBatch(payload),
  });

  async function storedOffset(partition: number): Promise<bigint> {
    let known = stored.get(partition);
    if (known === undefined) {
      const upTo = await options.sink.storedUpTo(options.topic, partition);
      known = upTo === undefined ? -1n : BigInt(upTo);
      stored.set(partition, known);
    }
    return known;
  }

  async function handleBatch({
    batch,
    resolveOffset,
    commitOffsetsIfNecessary,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    const done = await writeBatchToSink(
      {
        topic: batch.topic,
        partition,
        records: batch.messages.map((m) => new KafkaRecord(m)),
        alreadyStored: await storedOffset(partition),
      },
      options,
      {
        live: () => isRunning() && !isStale(),
        heartbeat,
        stored: (last) => stored.set(partition, last),
        /** Marks `last` processed and commits the next offset to read. */
        commitThrough: async (last) => {
          resolveOffset(last);
          await commitOffsetsIfNecessary({
            topics: [
              {
                topic: batch.topic,
                partitions: [{ partition, offset: (BigInt(last) + 1n).toString() }],
              },
            ],
          });
        },
      },
    );
    if (done)
      options.onProgress?.({ topic: batch.topic, partition, lag: Number(batch.offsetLag()) });
  }

  return { consumer, stop: () => consumer.disconnect() };
}

/** A consumed message as the sink sees it; key and headers are decoded only when read. */
class KafkaRecord implements ConsumedRecord {
  readonly offset: string;
  readonly value: Buffer | null;

  constructor(private readonly message: KafkaMessage) {
    this.offset = message.offset;
    this.value = message.value;
  }

  get key(): string | null {
    return this.message.key?.toString() ?? null;
  }

  get headers(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.message.headers ?? {}).map(([k, v]) => [k, String(v)]),
    );
  }
}
