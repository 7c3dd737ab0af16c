import type {
  ConsumedRecord,
  OffsetRange,
  PartitionConsumerOptions,
  PartitionSink,
} from './partition-consumer';

/** What an adapter lends the exactly-once loop for one fetched batch of one partition. */
export interface BatchControl {
  /** False once the partition was revoked or the consumer is stopping: commit nothing more. */
  live(): boolean;
  /** Keeps the member's group membership alive during a long retry (no-op where none is needed). */
  heartbeat(): Promise<void>;
  /** Commits `last + 1` as the group's next offset to read on this partition. */
  commitThrough(last: string): Promise<void>;
  /** Remembers that the sink now holds the partition through `last` (this generation only). */
  stored(last: bigint): void;
}

export interface SinkBatch {
  topic: string;
  partition: number;
  records: readonly ConsumedRecord[];
  /** The sink's progress on the partition: records at or below it are skipped. */
  alreadyStored: bigint;
}

type LoopOptions = Pick<
  PartitionConsumerOptions,
  'maxRangeSize' | 'retry' | 'onError' | 'onSkipped'
> & {
  sink: PartitionSink;
};

/**
 * The exactly-once step both adapters share, for one fetched batch of one partition:
 *
 * 1. Skip records at or below what the sink already holds (a restart after a crash between write
 *    and commit, a partition moved by a rebalance, a replay).
 * 2. Write in ranges of at most `maxRangeSize` records; a failing write is retried with backoff
 *    (same range, so the same dedup token) while nothing is committed, and the loop gives up the
 *    batch as soon as the partition is revoked or the consumer stops.
 * 3. Commit the offset after the last record of a range only once the sink acknowledged it.
 *
 * Returns false when it gave the batch up (revoked or stopping), true when all of it is done.
 */
export async function writeBatchToSink(
  batch: SinkBatch,
  options: LoopOptions,
  control: BatchControl,
): Promise<boolean> {
  const { topic, partition, records } = batch;
  const maxRange = options.maxRangeSize ?? 10_000;
  const retry = options.retry ?? { initialMs: 200, maxMs: 10_000 };
  const fresh = records.filter((r) => BigInt(r.offset) > batch.alreadyStored);
  if (fresh.length < records.length)
    options.onSkipped?.({ topic, partition, records: records.length - fresh.length });
  for (let start = 0; start < fresh.length; start += maxRange) {
    if (!control.live()) return false;
    const slice = fresh.slice(start, start + maxRange);
    const range: OffsetRange = {
      topic,
      partition,
      firstOffset: slice[0].offset,
      lastOffset: slice[slice.length - 1].offset,
    };
    let wait = retry.initialMs;
    for (;;) {
      try {
        await options.sink.write(range, slice);
        break;
      } catch (error) {
        options.onError?.(error, range);
        if (!control.live()) return false;
        await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * (wait / 2)));
        wait = Math.min(retry.maxMs, wait * 2);
        await control.heartbeat();
      }
    }
    control.stored(BigInt(range.lastOffset));
    if (!control.live()) return false; // revoked while writing: the new owner decides from the sink
    await control.commitThrough(range.lastOffset);
    await control.heartbeat();
  }
  // Records the sink already held: move the committed offset past them too.
  if (fresh.length === 0 && records.length > 0) {
    if (!control.live()) return false;
    await control.commitThrough(records[records.length - 1].offset);
  }
  return true;
}
