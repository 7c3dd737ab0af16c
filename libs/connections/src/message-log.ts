import { resolve } from 'node:path';
import type { TributaryConfig } from '@tributary/config';
import {
  BusUnavailableError,
  EmbeddedLog,
  KafkaLog,
  type LogReadiness,
  type MessageLog,
  type OffsetResetTarget,
  type PartitionConsumerOptions,
  type RunningConsumer,
  type TopicBatch,
} from '@tributary/messaging';
import { kafkaFor } from './kafka';

/** The embedded log of a folder, shared by every service of this process. */
interface SharedLog {
  folder: string;
  topicPartitions: number;
  handles: number;
  opening?: Promise<EmbeddedLog>;
  /** Why the last open failed (another process owns the folder…), until an open succeeds. */
  failure?: unknown;
}

const openLogs = new Map<string, SharedLog>();

/** `<data folder>/log`, absolute: where the embedded profile keeps its log. */
export function embeddedLogFolder(config: TributaryConfig): string {
  return resolve(config.dataDir, 'log');
}

/**
 * The messaging port of one role of a service (`ingest`, `speed`, `lake`, `speed-replay`, …).
 * Kafka brokers configured (the distributed profile, or a test pointing a service at Kafka): a
 * KafkaLog with the role's client id. None: the EmbeddedLog at `<data folder>/log`, one instance
 * per folder per process — services in one process share it, and it is closed when the last of
 * their handles is. It opens on first use, so a service that never touches the log never takes
 * the folder's lock.
 */
export function messageLogFor(config: TributaryConfig, role?: string): MessageLog {
  if (config.kafka.brokers) return new KafkaLog(kafkaFor(config, role), config.kafka);
  const folder = embeddedLogFolder(config);
  let log = openLogs.get(folder);
  if (!log) {
    log = { folder, topicPartitions: config.kafka.topicPartitions, handles: 0 };
    openLogs.set(folder, log);
  }
  log.handles += 1;
  return new EmbeddedLogHandle(log);
}

/**
 * Readiness of this process's embedded log: ready once open (or while nothing needed it yet), not
 * ready while its last open failed — another process owns the folder.
 */
export function embeddedLogReadiness(config: TributaryConfig): LogReadiness {
  const folder = embeddedLogFolder(config);
  return {
    name: 'embedded-log',
    check: async () => {
      const log = openLogs.get(folder);
      if (log?.failure) throw log.failure;
      if (log?.opening) await (await log.opening).readiness().check();
    },
  };
}

/** One service's handle on a shared embedded log. */
class EmbeddedLogHandle implements MessageLog {
  readonly kind = 'embedded';
  private closed = false;

  constructor(private readonly shared: SharedLog) {}

  private log(): Promise<EmbeddedLog> {
    if (this.closed)
      return Promise.reject(new Error(`this handle on ${this.shared.folder} is closed`));
    const { shared } = this;
    shared.opening ??= EmbeddedLog.open({
      folder: shared.folder,
      topicPartitions: shared.topicPartitions,
    }).then(
      (log) => {
        shared.failure = undefined;
        return log;
      },
      (error: unknown) => {
        shared.opening = undefined; // the next use tries again (the owner may have stopped)
        shared.failure = error;
        throw error;
      },
    );
    return shared.opening;
  }

  async publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void> {
    let log: EmbeddedLog;
    try {
      log = await this.log();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BusUnavailableError(`the embedded log is not available: ${reason}`, 5, {
        cause: error,
      });
    }
    await log.publish(batch, options);
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    await (await this.log()).ensureTopics(topics);
  }

  async consume(options: PartitionConsumerOptions): Promise<RunningConsumer> {
    return (await this.log()).consume(options);
  }

  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    return (await this.log()).endOffsets(topic);
  }

  async assertGroupInactive(groupId: string): Promise<void> {
    await (await this.log()).assertGroupInactive(groupId);
  }

  async resetGroupOffsets(options: { groupId: string; topic: string; target: OffsetResetTarget }) {
    return (await this.log()).resetGroupOffsets(options);
  }

  readiness(): LogReadiness {
    return {
      name: 'embedded-log',
      check: async () => (await this.log()).readiness().check(),
    };
  }

  /** Closes the shared log once the last handle on it is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shared.handles -= 1;
    if (this.shared.handles > 0) return;
    openLogs.delete(this.shared.folder);
    const opening = this.shared.opening;
    this.shared.opening = undefined;
    if (opening) await (await opening.catch(() => undefined))?.close();
  }
}
