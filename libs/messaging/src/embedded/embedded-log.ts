import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { OutgoingMessage, TopicBatch } from '../event-bus';
import { GroupActiveError, type OffsetResetTarget, type PartitionReset } from '../group-offsets';
import type { LogReadiness, MessageLog } from '../message-log';
import type { PartitionConsumerOptions, RunningConsumer } from '../partition-consumer';
import { PublishQueue, type TopicMessages } from '../publish-queue';
import { ConsumerGroup } from './consumer-group';
import { EmbeddedConsumer } from './embedded-consumer';
import { syncFolder, writeFileAtomic } from './files';
import { lockFolder } from './log-lock';
import { partitionFor } from './murmur2';
import { OffsetStore } from './offset-store';
import { PartitionLog } from './partition-log';
import { TopicLog } from './topic-log';

export interface EmbeddedLogOptions {
  /** The log's folder (`<data folder>/log`); created when missing. */
  folder: string;
  /** Partitions of a topic created here (config `kafka.topicPartitions`). */
  topicPartitions: number;
  /** Size at which a partition starts a new segment file; default 64 MiB. */
  segmentBytes?: number;
  /** Told when open cut off a torn tail (a crash mid-write) of a partition. */
  onTornTail?: (torn: { topic: string; partition: number; bytes: number }) => void;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * The messaging port on local files (embedded profile): Kafka's model — topics of partitions,
 * offsets, consumer groups with committed offsets — in one folder owned by one process.
 *
 * Layout: `LOCK` (owner pid), `topics/<topic>/topic.json` (partition count),
 * `topics/<topic>/<partition>/<base offset>.log` (segments of CRC-framed records, see frame.ts),
 * `groups/<group>.json` (committed offsets). `publish` resolves once its records are fsynced;
 * concurrent publishes share one write and one fsync per partition file (PublishQueue).
 */
export class EmbeddedLog implements MessageLog {
  readonly kind = 'embedded';
  private readonly topics = new Map<string, Promise<TopicLog>>();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly consumers = new Set<EmbeddedConsumer>();
  private readonly queue = new PublishQueue(
    (messages) => this.append(messages),
    'the embedded log',
  );
  private closed = false;

  private constructor(
    readonly folder: string,
    private readonly options: EmbeddedLogOptions,
    private readonly offsets: OffsetStore,
    private readonly unlock: () => void,
  ) {}

  /** Takes the folder's lock (LogLockedError if another live process has it) and loads it. */
  static async open(options: EmbeddedLogOptions): Promise<EmbeddedLog> {
    const folder = resolve(options.folder);
    await mkdir(join(folder, 'topics'), { recursive: true });
    const unlock = lockFolder(folder);
    try {
      const offsets = await OffsetStore.open(join(folder, 'groups'));
      const log = new EmbeddedLog(folder, options, offsets, unlock);
      for (const name of await readdir(join(folder, 'topics'))) {
        const meta = await readFile(join(folder, 'topics', name, 'topic.json'), 'utf8').catch(
          () => undefined,
        );
        if (meta === undefined) continue; // a topic whose creation did not finish
        const { partitions } = JSON.parse(meta) as { partitions: number };
        log.topics.set(name, log.openTopic(name, partitions));
      }
      await Promise.all(log.topics.values());
      return log;
    } catch (error) {
      unlock();
      throw error;
    }
  }

  publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void> {
    return this.queue.publish(batch, options);
  }

  /**
   * One write of everything queued: each record to its key's partition, all partitions written,
   * then fsynced together, and only then made visible to consumers and acknowledged. A failure
   * cuts the files back, so nothing unacknowledged stays behind.
   */
  private async append(topicMessages: TopicMessages): Promise<void> {
    this.assertOpen();
    const perPartition = new Map<PartitionLog, OutgoingMessage[]>();
    const touched = new Set<TopicLog>();
    for (const { topic, messages } of topicMessages) {
      const log = await this.topic(topic);
      touched.add(log);
      for (const message of messages) {
        const partition = log.partitions[partitionFor(message.key, log.partitions.length)];
        const list = perPartition.get(partition) ?? [];
        list.push(message);
        perPartition.set(partition, list);
      }
    }
    // Partitions are written and fsynced in parallel (one file each); all must succeed.
    const attempts = [...perPartition].map(([partition, messages]) => partition.stage(messages));
    const results = await Promise.allSettled(attempts);
    const staged = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      await Promise.all(staged.map((s) => s.partition.sync(s)));
    } catch (error) {
      for (const s of staged) await s.partition.abort(s);
      throw error;
    }
    for (const s of staged) s.partition.commit(s);
    for (const log of touched) log.appended();
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    await Promise.all(topics.map((topic) => this.topic(topic)));
  }

  /** The topic, created with the configured partitions when missing. */
  private topic(name: string): Promise<TopicLog> {
    let topic = this.topics.get(name);
    if (!topic) {
      if (!TOPIC_NAME.test(name) || name === '.' || name === '..')
        return Promise.reject(
          new Error(`invalid topic name ${JSON.stringify(name)}: letters, digits, . _ -`),
        );
      topic = this.createTopic(name, this.options.topicPartitions);
      topic.catch(() => this.topics.delete(name));
      this.topics.set(name, topic);
    }
    return topic;
  }

  private async createTopic(name: string, partitions: number): Promise<TopicLog> {
    const folder = join(this.folder, 'topics', name);
    await mkdir(folder, { recursive: true });
    const topic = await this.openTopic(name, partitions);
    await syncFolder(folder); // the partition folders' entries
    await writeFileAtomic(join(folder, 'topic.json'), JSON.stringify({ partitions }));
    await syncFolder(join(this.folder, 'topics'));
    return topic;
  }

  private async openTopic(name: string, partitions: number): Promise<TopicLog> {
    const logs: PartitionLog[] = [];
    for (let p = 0; p < partitions; p++) {
      const { log, report } = await PartitionLog.open(
        join(this.folder, 'topics', name, String(p)),
        this.options.segmentBytes ?? 64 * 1024 * 1024,
      );
      if (report.truncatedBytes > 0)
        this.options.onTornTail?.({ topic: name, partition: p, bytes: report.truncatedBytes });
      logs.push(log);
    }
    return new TopicLog(name, logs);
  }

  async consume(options: PartitionConsumerOptions): Promise<RunningConsumer> {
    this.assertOpen();
    const topic = await this.topic(options.topic);
    const key = JSON.stringify([options.groupId, options.topic]);
    let group = this.groups.get(key);
    if (!group) {
      group = new ConsumerGroup(options.groupId, topic.partitions.length);
      this.groups.set(key, group);
    }
    const consumer = new EmbeddedConsumer(topic, group, this.offsets, options, (stopped) =>
      this.consumers.delete(stopped),
    );
    this.consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    return (await this.topic(topic)).endOffsets();
  }

  async assertGroupInactive(groupId: string): Promise<void> {
    const members = [...this.groups.values()]
      .filter((group) => group.groupId === groupId)
      .reduce((sum, group) => sum + group.size, 0);
    if (members > 0) throw new GroupActiveError(groupId, 'Stable', members);
  }

  async resetGroupOffsets(options: {
    groupId: string;
    topic: string;
    target: OffsetResetTarget;
  }): Promise<PartitionReset[]> {
    const { groupId, target } = options;
    await this.assertGroupInactive(groupId);
    const topic = await this.topic(options.topic);
    const partitions = topic.partitions;
    let next: Array<{ partition: number; offset: number }>;
    switch (target.kind) {
      case 'earliest':
        next = partitions.map((log, partition) => ({ partition, offset: log.start }));
        break;
      case 'timestamp':
        next = partitions.map((log, partition) => ({ partition, offset: log.offsetAt(target.at) }));
        break;
      case 'offsets':
        next = target.offsets.map((p) => {
          const log = partitions[p.partition];
          if (!log) throw new Error(`${topic.name} has no partition ${p.partition}`);
          const offset = Number(p.offset);
          if (!Number.isSafeInteger(offset) || offset < log.start || offset > log.end)
            throw new Error(
              `offset ${p.offset} of partition ${p.partition} is outside ${log.start}..${log.end} (what ${topic.name} retains)`,
            );
          return { partition: p.partition, offset };
        });
        break;
    }
    next.sort((a, b) => a.partition - b.partition);
    const before = next.map((p) => this.offsets.committed(groupId, topic.name, p.partition));
    await this.offsets.commit(
      groupId,
      topic.name,
      new Map(next.map((p) => [p.partition, p.offset])),
    );
    return next.map((p, i) => ({
      partition: p.partition,
      from: before[i] === undefined ? undefined : String(before[i]),
      to: String(p.offset),
    }));
  }

  readiness(): LogReadiness {
    return {
      name: 'embedded-log',
      check: async () => this.assertOpen(),
    };
  }

  /** Stops this log's consumers, finishes pending writes, closes the files, releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    await this.queue.drained();
    await this.offsets.flush();
    for (const topic of this.topics.values()) {
      for (const partition of (await topic).partitions) await partition.close();
    }
    this.unlock();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`the embedded log at ${this.folder} is closed`);
  }
}
