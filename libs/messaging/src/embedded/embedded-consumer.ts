import type {
  ConsumedRecord,
  PartitionConsumerOptions,
  RunningConsumer,
} from '../partition-consumer';
import { writeBatchToSink } from '../sink-batch';
import type { ConsumerGroup, GroupMember } from './consumer-group';
import type { LogRecord } from './frame';
import type { OffsetStore } from './offset-store';
import type { TopicLog } from './topic-log';

interface Fetched {
  partition: number;
  records: LogRecord[];
}

/**
 * A member of a consumer group on the embedded log: long-polls its partitions (like a Kafka
 * fetch: answers once `minBytes` are there or after `maxWaitMs`, at most
 * `maxBytesPerPartition` per partition), then hands each partition's batch to the exactly-once
 * loop shared with Kafka (writeBatchToSink). Positions start from the group's committed offsets,
 * else the log start (`fromBeginning`, the default) or its end.
 */
export class EmbeddedConsumer implements RunningConsumer, GroupMember {
  private running = true;
  private generation = -1;
  /** Next offset to fetch per partition, and the sink's progress; both per generation. */
  private positions = new Map<number, number>();
  private stored = new Map<number, bigint>();
  private interrupt: () => void = () => undefined;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly topic: TopicLog,
    private readonly group: ConsumerGroup,
    private readonly offsets: OffsetStore,
    private readonly options: PartitionConsumerOptions,
    private readonly onStopped: (consumer: EmbeddedConsumer) => void,
  ) {}

  /**
   * Joins the group and starts polling. A failure of the log itself (a segment that cannot be
   * read) is not retried: it rejects the loop, unhandled, and so stops the process loudly —
   * sink failures are retried inside the loop and never get here.
   */
  start(): void {
    this.group.join(this);
    this.loop = this.run().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `embedded log consumer of group ${this.options.groupId} on ${this.topic.name} failed: ${reason}`,
        { cause: error },
      );
    });
  }

  wake(): void {
    this.interrupt();
  }

  /** Ends the in-flight batch without committing more, then leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return this.loop;
    this.running = false;
    this.interrupt();
    await this.loop;
    this.group.leave(this);
    this.onStopped(this);
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.generation !== this.group.generation) {
        this.generation = this.group.generation;
        this.positions = new Map();
        this.stored = new Map();
      }
      const batches = await this.fetch();
      await inParallel(batches, this.options.partitionsInParallel ?? 1, (batch) =>
        this.group.exclusive(batch.partition, () => this.handle(batch)),
      );
    }
  }

  /** One long poll over this member's partitions; empty after a rebalance or stop. */
  private async fetch(): Promise<Fetched[]> {
    const deadline = Date.now() + (this.options.maxWaitMs ?? 5_000);
    const minBytes = this.options.minBytes ?? 1;
    const maxBytes = this.options.maxBytesPerPartition ?? 1_048_576;
    for (;;) {
      const generation = this.group.generation;
      const version = this.topic.version;
      const batches: Fetched[] = [];
      let bytes = 0;
      for (const partition of this.group.partitionsOf(this)) {
        const read = await this.topic.partitions[partition].read(
          this.position(partition),
          maxBytes,
        );
        if (read.records.length > 0) batches.push({ partition, records: read.records });
        bytes += read.bytes;
      }
      if (!this.running || generation !== this.group.generation) return [];
      if (batches.length > 0 && bytes >= minBytes) return batches;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return batches;
      const wait = this.topic.waitForAppend(version, remaining);
      this.interrupt = wait.interrupt;
      await wait.done;
      this.interrupt = () => undefined;
    }
  }

  private position(partition: number): number {
    let position = this.positions.get(partition);
    if (position === undefined) {
      const log = this.topic.partitions[partition];
      position =
        this.offsets.committed(this.options.groupId, this.topic.name, partition) ??
        ((this.options.fromBeginning ?? true) ? log.start : log.end);
      this.positions.set(partition, position);
    }
    return position;
  }

  private async handle({ partition, records }: Fetched): Promise<void> {
    const { topic, group, options } = this;
    const live = () => this.running && group.owns(this, partition);
    if (!live()) return;
    const last = records[records.length - 1].offset;
    try {
      let alreadyStored = this.stored.get(partition);
      if (alreadyStored === undefined) {
        const upTo = await options.sink.storedUpTo(topic.name, partition);
        alreadyStored = upTo === undefined ? -1n : BigInt(upTo);
        this.stored.set(partition, alreadyStored);
      }
      const done = await writeBatchToSink(
        { topic: topic.name, partition, records: records.map(consumed), alreadyStored },
        options,
        {
          live,
          heartbeat: async () => undefined,
          stored: (offset) => this.stored.set(partition, offset),
          commitThrough: (offset) => {
            // Checked with the commit in one synchronous step: a revoked member commits nothing.
            if (!live()) throw new Error(`partition ${partition} was revoked before the commit`);
            return this.offsets.commit(
              options.groupId,
              topic.name,
              new Map([[partition, Number(offset) + 1]]),
            );
          },
        },
      );
      if (!done) return;
      this.positions.set(partition, last + 1);
      options.onProgress?.({
        topic: topic.name,
        partition,
        lag: topic.partitions[partition].end - (last + 1),
      });
    } catch (error) {
      // The sink's progress or the commit failed: fetch the partition again from its committed
      // offset after a pause (the sink skips what it already holds).
      this.positions.delete(partition);
      this.stored.delete(partition);
      options.onError?.(error, {
        topic: topic.name,
        partition,
        firstOffset: String(records[0].offset),
        lastOffset: String(last),
      });
      await new Promise((resolve) => setTimeout(resolve, options.retry?.initialMs ?? 200));
    }
  }
}

function consumed(record: LogRecord): ConsumedRecord {
  return {
    offset: String(record.offset),
    key: record.key,
    value: record.value,
    headers: record.headers,
  };
}

/** Runs `work` over the items, at most `limit` at a time. */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
