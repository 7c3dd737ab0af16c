import { BusUnavailableError, type OutgoingMessage, type TopicBatch } from './event-bus';

/** Records of many publishes merged per topic, for one write. */
export type TopicMessages = Array<{ topic: string; messages: OutgoingMessage[] }>;

interface Pending<C> {
  batch: TopicBatch;
  /** What `capture` returned in the caller's context when it published. */
  caller: C;
  /** Its caller gave up (timeout) before the records left: do not write them any more. */
  cancelled: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a bus adapter: while one write is in flight, publishes that arrive meanwhile
 * queue up and go out together in the next single write, each caller released when that write is
 * durable. Under load that turns many small writes into few large ones (one Kafka request, one
 * fsync); when idle, a publish is written at once, so batching adds no latency.
 */
export class PublishQueue<C = undefined> {
  private queue: Array<Pending<C>> = [];
  private flushing = false;
  private current: Promise<void> = Promise.resolve();

  /**
   * `write` makes the records durable or throws; `what` names the adapter in errors. `capture`
   * runs in each publisher's context (its trace, its correlation id) and `write` gets what it
   * returned for each publish it carries: the write itself runs in no particular caller's context.
   */
  constructor(
    private readonly write: (topicMessages: TopicMessages, callers: C[]) => Promise<void>,
    private readonly what: string,
    private readonly capture: () => C = () => undefined as C,
  ) {}

  async publish(batch: TopicBatch, options: { timeoutMs: number }): Promise<void> {
    if (batch.every((entry) => entry.messages.length === 0)) return;
    let entry: Pending<C> | undefined;
    const caller = this.capture();
    const written = new Promise<void>((resolve, reject) => {
      entry = { batch, caller, cancelled: false, resolve, reject };
      this.queue.push(entry);
    });
    this.flush();
    try {
      await withTimeout(written, options.timeoutMs, this.what);
    } catch (error) {
      // Still queued: withdraw it, so a 503 leaves nothing behind. Already sent: it may land.
      if (entry) entry.cancelled = true;
      throw error;
    }
  }

  /** Resolves once no write is in flight (queued publishes included). */
  async drained(): Promise<void> {
    while (this.flushing) await this.current;
  }

  /** Writes everything queued in one write; when it completes, writes what queued meanwhile. */
  private flush(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const pending = this.queue.filter((entry) => !entry.cancelled);
    this.queue = [];
    if (pending.length === 0) {
      this.flushing = false;
      return;
    }
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { batch } of pending) {
      for (const entry of batch) {
        const messages = byTopic.get(entry.topic) ?? [];
        for (const message of entry.messages) messages.push(message);
        byTopic.set(entry.topic, messages);
      }
    }
    const topicMessages = [...byTopic]
      .filter(([, m]) => m.length > 0)
      .map(([topic, messages]) => ({ topic, messages }));
    this.current = (async () => {
      try {
        await this.write(
          topicMessages,
          pending.map((p) => p.caller),
        );
        for (const p of pending) p.resolve();
      } catch (error) {
        for (const p of pending) p.reject(error);
      } finally {
        this.flushing = false;
        this.flush();
      }
    })();
  }
}

async function withTimeout(work: Promise<void>, timeoutMs: number, what: string): Promise<void> {
  // A failure that lands after the timeout was already reported as unavailable: mark it handled
  // so it cannot crash the process as an unhandled rejection.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const retryAfterSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new BusUnavailableError(
                `${what} did not acknowledge within ${timeoutMs} ms`,
                retryAfterSeconds,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    if (error instanceof BusUnavailableError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BusUnavailableError(`${what} refused the write: ${reason}`, retryAfterSeconds, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
