/**
 * Watches a change counter by polling it at most once per `intervalMs`, on demand (no timer to
 * stop). Callers arriving while a read is in flight share it, so a burst of requests costs one
 * query. A reader that ran `check()` sees every change committed `intervalMs` + one query earlier.
 */
export class RevisionPoller {
  private revision: string | undefined;
  private checkedAt = -Infinity;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<string>,
    private readonly onChange: () => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the counter if the last read is older than the interval; calls onChange if it moved. */
  async check(): Promise<void> {
    if (this.now() - this.checkedAt < this.intervalMs) return;
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
  }

  /** Forces the next check() to read, e.g. right after this process changed the registry. */
  expire(): void {
    this.checkedAt = -Infinity;
  }

  private async poll(): Promise<void> {
    const startedAt = this.now();
    // A failed read also waits out the interval: during an outage, not every call pays a timeout.
    const revision = await this.read().finally(() => {
      this.checkedAt = startedAt;
    });
    if (revision !== this.revision) {
      // The first read has nothing cached to drop yet; calling onChange anyway is harmless.
      this.revision = revision;
      this.onChange();
    }
  }
}
