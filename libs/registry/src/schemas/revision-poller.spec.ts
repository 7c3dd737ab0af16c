import { RevisionPoller } from './revision-poller';

describe(RevisionPoller.name, () => {
  let clock: number;
  let revision: string;
  let reads: number;
  let changes: number;
  let poller: RevisionPoller;

  beforeEach(() => {
    clock = 0;
    revision = '1';
    reads = 0;
    changes = 0;
    const read = async () => {
      reads++;
      return revision;
    };
    poller = new RevisionPoller(
      read,
      () => changes++,
      500,
      () => clock,
    );
  });

  describe('check', () => {
    it('reads at most once per interval', async () => {
      await poller.check();
      clock += 499;
      await poller.check();
      expect(reads).toBe(1);
      clock += 1;
      await poller.check();
      expect(reads).toBe(2);
    });

    it('shares one read among concurrent callers', async () => {
      await Promise.all([poller.check(), poller.check(), poller.check()]);
      expect(reads).toBe(1);
    });

    it('reports a change only when the revision moved', async () => {
      await poller.check();
      expect(changes).toBe(1);
      clock += 500;
      await poller.check();
      expect(changes).toBe(1);
      revision = '2';
      clock += 500;
      await poller.check();
      expect(changes).toBe(2);
    });

    it('lets a failed read fail its callers and tries again after the interval', async () => {
      const failing = new RevisionPoller(
        async () => {
          reads++;
          if (reads === 1) throw new Error('connection refused');
          return '1';
        },
        () => changes++,
        500,
        () => clock,
      );
      await expect(failing.check()).rejects.toThrow('connection refused');
      await failing.check();
      expect(reads).toBe(1);
      clock += 500;
      await failing.check();
      expect(changes).toBe(1);
    });
  });

  describe('expire', () => {
    it('makes the next check read at once', async () => {
      await poller.check();
      poller.expire();
      await poller.check();
      expect(reads).toBe(2);
    });
  });
});
