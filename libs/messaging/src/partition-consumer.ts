import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';

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

export interface RunningConsumer {
  consumer: Consumer;
  stop(): Promise<void>;
}

/**
 * Consumes one topic into a PartitionSink with exactly-once effect:
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
): Promise<RunningConsumer> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    minBytes: options.minBytes ?? 1,
    maxWaitTimeInMs: options.maxWaitMs ?? 5_000,
    allowAutoTopicCreation: false,
  });
  const maxRange = options.maxRangeSize ?? 10_000;
  const retry = options.retry ?? { initialMs: 200, maxMs: 10_000 };
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
    const alreadyStored = await storedOffset(partition);
    const fresh = batch.messages.filter((m) => BigInt(m.offset) > alreadyStored);
    if (fresh.length < batch.messages.length)
      options.onSkipped?.({
        topic: batch.topic,
        partition,
        records: batch.messages.length - fresh.length,
      });
    for (let start = 0; start < fresh.length; start += maxRange) {
      if (!isRunning() || isStale()) return; // revoked or stopping: commit nothing more
      const slice = fresh.slice(start, start + maxRange);
      const range: OffsetRange = {
        topic: batch.topic,
        partition,
        firstOffset: slice[0].offset,
        lastOffset: slice[slice.length - 1].offset,
      };
      const records = slice.map((m) => new KafkaRecord(m));
      let wait = retry.initialMs;
      for (;;) {
        try {
          await options.sink.write(range, records);
          break;
        } catch (error) {
          options.onError?.(error, range);
          if (!isRunning() || isStale()) return;
          await new Promise((resolve) =>
            setTimeout(resolve, wait / 2 + Math.random() * (wait / 2)),
          );
          wait = Math.min(retry.maxMs, wait * 2);
          await heartbeat();
        }
      }
      stored.set(partition, BigInt(range.lastOffset));
      await commitThrough(range.lastOffset);
      await heartbeat();
    }
    options.onProgress?.({ topic: batch.topic, partition, lag: Number(batch.offsetLag()) });
    // Records the sink already held: move the committed offset past them too.
    if (fresh.length === 0 && batch.messages.length > 0) {
      await commitThrough(batch.messages[batch.messages.length - 1].offset);
    }

    /** Marks `last` processed and commits the next offset to read. */
    async function commitThrough(last: string): Promise<void> {
      resolveOffset(last);
      await commitOffsetsIfNecessary({
        topics: [
          {
            topic: batch.topic,
            partitions: [{ partition, offset: (BigInt(last) + 1n).toString() }],
          },
        ],
      });
    }
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
