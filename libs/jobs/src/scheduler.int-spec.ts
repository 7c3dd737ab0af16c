import { localServices, uniqueName, waitFor } from '@tributary/testing';
import {
  assertCron,
  BullScheduler,
  InProcessScheduler,
  type JobRun,
  type JobScheduler,
} from './scheduler';

const retry = { attempts: 3, backoffMs: 50 };

/** The same contract for both adapters: cron firings with stable ids, retried with backoff. */
describe.each([
  ['in-process', () => new InProcessScheduler(retry)],
  [
    'bull on Redis',
    () =>
      new BullScheduler('scheduler-spec', {
        redisUrl: localServices().redisUrl,
        prefix: uniqueName('sched'),
        retry,
      }),
  ],
])('JobScheduler (%s)', (_name, create: () => JobScheduler) => {
  let scheduler: JobScheduler;

  afterEach(async () => {
    await scheduler?.stop();
  });

  it('fires each job on its schedule and retries a failed attempt under the same id', async () => {
    scheduler = create();
    const runs: JobRun[] = [];
    let failures = 0;
    await scheduler.start([{ name: 'view_a', cron: '* * * * * *' }], async (run) => {
      runs.push(run);
      if (failures === 0) {
        failures += 1;
        throw new Error('transient');
      }
    });
    await waitFor(
      () => {
        if (runs.length < 3) throw new Error(`${runs.length} runs so far`);
      },
      { timeoutMs: 15_000 },
    );
    const [first, retried] = runs;
    expect(first?.attempt).toBe(1);
    expect(retried?.id).toBe(first?.id);
    expect(retried?.attempt).toBe(2);
    expect(first?.name).toBe('view_a');
    expect(first?.scheduledFor.getUTCMilliseconds()).toBe(0);
    const ids = new Set(runs.map((run) => run.id));
    expect(ids.size).toBeGreaterThanOrEqual(2); // later firings get their own ids
  });
});

describe(assertCron.name, () => {
  it('names the job and the expression it cannot parse', () => {
    expect(() => assertCron({ name: 'revenue', cron: 'every hour' })).toThrow(
      /schedule of 'revenue' is not a cron expression \('every hour'\)/,
    );
  });
});
