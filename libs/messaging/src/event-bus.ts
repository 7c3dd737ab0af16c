/** One record for the bus: key (partitioning), value (the payload as sent) and string headers. */
export interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Records for several topics, written in one request so they succeed or fail together. */
export type TopicBatch = ReadonlyArray<{ topic: string; messages: readonly OutgoingMessage[] }>;

/**
 * The bus port. `publish` resolves only once the broker acknowledged every record durably
 * (acks=all) — the ingest API answers 202 on that, not before — and rejects with
 * BusUnavailableError when that does not happen within the timeout.
 */
export interface EventBus {
  publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void>;
  /** Creates missing topics with the configured partitions and replication; idempotent. */
  ensureTopics(topics: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_BUS = Symbol('EVENT_BUS');

/**
 * The bus did not acknowledge in time or refused the write. Retriable: the caller answers 503
 * with Retry-After. Records may still arrive later (the producer keeps retrying), so a retry can
 * add copies; event ids make them deduplicable downstream.
 */
export class BusUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BusUnavailableError';
  }
}
