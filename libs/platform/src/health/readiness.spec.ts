import { Readiness, type ReadinessCheck } from './readiness';

const up = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const down = (name: string, reason: string): ReadinessCheck => ({
  name,
  check: async () => {
    throw new Error(reason);
  },
});

describe(Readiness.name, () => {
  describe('evaluate', () => {
    it('is ok with no dependencies', async () => {
      await expect(new Readiness([]).evaluate()).resolves.toEqual({ status: 'ok', checks: {} });
    });

    it('is ok when every dependency answers', async () => {
      const answer = await new Readiness([up('kafka'), up('postgres')]).evaluate();
      expect(answer.status).toBe('ok');
      expect(answer.checks.kafka.status).toBe('up');
      expect(answer.checks.postgres.status).toBe('up');
    });

    it('names the dependency that is down and why, without secrets', async () => {
      const answer = await new Readiness([
        up('kafka'),
        down('postgres', 'connect ECONNREFUSED postgres://app:pw@db:5432'),
      ]).evaluate();
      expect(answer.status).toBe('error');
      expect(answer.checks.postgres).toMatchObject({
        status: 'down',
        error: 'connect ECONNREFUSED postgres://app:[redacted]@db:5432',
      });
    });

    it('counts a dependency that does not answer in time as down', async () => {
      const hung: ReadinessCheck = {
        name: 'redis',
        check: () => new Promise(() => undefined),
        timeoutMs: 20,
      };
      const answer = await new Readiness([hung]).evaluate();
      expect(answer.checks.redis).toMatchObject({
        status: 'down',
        error: 'no answer within 20 ms',
      });
    });

    it('reports shutting_down once draining started, even with healthy dependencies', async () => {
      const readiness = new Readiness([up('kafka')]);
      readiness.startDraining();
      await expect(readiness.evaluate()).resolves.toMatchObject({ status: 'shutting_down' });
    });
  });
});
