import { RateLimiter } from './rate-limiter';

describe(RateLimiter.name, () => {
  let clock = 0;
  const limiter = () => new RateLimiter(100, () => clock);

  beforeEach(() => {
    clock = 0;
  });

  describe('take', () => {
    it('admits a burst of up to twice the rate, then refuses with a Retry-After', () => {
      const rl = limiter();
      expect(rl.take('web', 150).allowed).toBe(true);
      const refused = rl.take('web', 100);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBe(1);
      expect(refused.headers).toMatchObject({
        'RateLimit-Limit': '200',
        'RateLimit-Remaining': '50',
      });
    });

    it('refills at the configured rate', () => {
      const rl = limiter();
      rl.take('web', 200);
      clock = 500;
      expect(rl.take('web', 51).allowed).toBe(false);
      expect(rl.take('web', 50).allowed).toBe(true);
    });

    it('keeps sources apart', () => {
      const rl = limiter();
      rl.take('web', 200);
      expect(rl.take('mobile', 200).allowed).toBe(true);
    });

    it('tells a request larger than the burst when it could pass at the earliest', () => {
      const refused = limiter().take('web', 1000);
      expect(refused.allowed).toBe(false);
      expect(Number(refused.headers['RateLimit-Reset'])).toBeGreaterThanOrEqual(1);
    });
  });
});
