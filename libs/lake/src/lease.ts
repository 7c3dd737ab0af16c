import type { DataSource } from 'typeorm';

export class LeaseLostError extends Error {
  constructor(name: string, holder: string) {
    super(
      `lease '${name}' is no longer held by '${holder}' (it expired or another holder took it)`,
    );
    this.name = 'LeaseLostError';
  }
}

/**
 * A lease in Postgres (table `leases`): at most one holder per name at a time. Taking it over
 * after it expired bumps a fencing token; a holder renews it while it works and checks `assert()`
 * before every write it must not share (an Iceberg commit), so a paused process that lost its
 * lease stops instead of committing beside the new holder.
 */
export class Lease {
  private expiresAt = 0;
  private timer: NodeJS.Timeout | undefined;
  token: bigint | undefined;

  constructor(
    private readonly db: DataSource,
    readonly name: string,
    readonly holder: string,
    private readonly ttlMs = 30_000,
  ) {}

  /** Takes the lease if it is free, expired or already ours; false when someone else holds it. */
  async tryAcquire(): Promise<boolean> {
    const startedAt = Date.now();
    const rows: Array<{ token: string }> = await this.db.query(
      `INSERT INTO leases (name, holder, token, expires_at)
       VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET
         holder = EXCLUDED.holder,
         token = CASE WHEN leases.holder = EXCLUDED.holder THEN leases.token ELSE leases.token + 1 END,
         expires_at = EXCLUDED.expires_at,
         acquired_at = CASE WHEN leases.holder = EXCLUDED.holder THEN leases.acquired_at ELSE now() END
       WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()
       RETURNING token`,
      [this.name, this.holder, this.ttlMs],
    );
    if (rows.length === 0) return false;
    this.token = BigInt(rows[0].token);
    // Count the expiry from before the round trip: never believe we hold it longer than Postgres.
    this.expiresAt = startedAt + this.ttlMs;
    return true;
  }

  /** Waits until the lease is ours (polling), then keeps renewing it until `release()`. */
  async acquire(options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    while (!(await this.tryAcquire())) {
      if (options.signal?.aborted) throw new Error(`gave up waiting for lease '${this.name}'`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
    }
    this.keepRenewing();
  }

  /** Takes the lease if free and keeps renewing it; false (and nothing held) otherwise. */
  async tryHold(): Promise<boolean> {
    if (!(await this.tryAcquire())) return false;
    this.keepRenewing();
    return true;
  }

  private keepRenewing(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.tryAcquire().catch(() => undefined); // a failed renewal shows in assert() at expiry
    }, this.ttlMs / 3);
    this.timer.unref();
  }

  get held(): boolean {
    return Date.now() < this.expiresAt;
  }

  assert(): void {
    if (!this.held) throw new LeaseLostError(this.name, this.holder);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.expiresAt = 0;
    await this.db.query(`DELETE FROM leases WHERE name = $1 AND holder = $2`, [
      this.name,
      this.holder,
    ]);
  }
}
