export interface RateDecision {
  allowed: boolean;
  /** RateLimit-* headers (IETF draft): sent on every answer so clients can pace themselves. */
  headers: Record<string, string>;
  retryAfterSeconds: number;
}

/**
 * Per-source token bucket counted in events: `ratePerSecond` refill, bursts up to twice that.
 * In memory, so the limit holds per ingest instance (documented); a request is admitted whole or
 * refused whole, never half-accepted by the limiter.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = ratePerSecond * 2;
  }

  take(source: string, events: number): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(source) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(
      this.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond,
    );
    bucket.at = now;
    this.buckets.set(source, bucket);
    const allowed = events <= bucket.tokens;
    if (allowed) bucket.tokens -= events;
    const missing = allowed ? 0 : Math.min(events, this.capacity) - bucket.tokens;
    const retryAfterSeconds = Math.max(1, Math.ceil(missing / this.ratePerSecond));
    const refillSeconds = Math.ceil((this.capacity - bucket.tokens) / this.ratePerSecond);
    return {
      allowed,
      retryAfterSeconds,
      headers: {
        'RateLimit-Limit': String(this.capacity),
        'RateLimit-Remaining': String(Math.floor(bucket.tokens)),
        'RateLimit-Reset': String(allowed ? refillSeconds : retryAfterSeconds),
        'RateLimit-Policy': `${this.capacity};w=2`,
      },
    };
  }
}
