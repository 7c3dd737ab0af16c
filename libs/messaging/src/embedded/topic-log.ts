import type { PartitionLog } from './partition-log';

/** A topic's partitions, and the long-polling consumers waiting for its next append. */
export class TopicLog {
  /** Bumped on every durable append, so a reader can tell whether it missed one. */
  version = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly partitions: readonly PartitionLog[],
  ) {}

  /** Wakes every waiting consumer after records became visible. */
  appended(): void {
    this.version += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Resolves at the first append after `since` (at once when one already happened), after
   * `timeoutMs`, or when `interrupt` is called (a rebalance or stop of the waiting member).
   */
  waitForAppend(since: number, timeoutMs: number): { done: Promise<void>; interrupt: () => void } {
    let interrupt = () => undefined as void;
    const done =
      this.version !== since
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const finish = () => {
              clearTimeout(timer);
              this.waiters.delete(finish);
              resolve();
            };
            const timer = setTimeout(finish, Math.max(0, timeoutMs));
            this.waiters.add(finish);
            interrupt = finish;
          });
    return { done, interrupt };
  }

  endOffsets(): Map<number, bigint> {
    return new Map(this.partitions.map((p, i) => [i, BigInt(p.end)]));
  }
}
