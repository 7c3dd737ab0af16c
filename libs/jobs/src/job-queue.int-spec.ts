import { localServices, uniqueName } from '@tributary/testing';
import { createJobQueue, type JobQueue } from './job-queue';

interface RecomputeJob {
  view: string;
  cut: string;
}

describe(createJobQueue.name, () => {
  let queue: JobQueue<RecomputeJob>;
  const handled: RecomputeJob[] = [];

  beforeAll(async () => {
    queue = createJobQueue<RecomputeJob>('recompute', {
      redisUrl: localServices().redisUrl,
      prefix: uniqueName('jobs-int'),
    });
    await queue.isReady();
    void queue.process(async (job) => {
      handled.push(job.data);
      return { rows: job.data.view.length };
    });
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  it('runs a job on Redis and hands its result back', async () => {
    const job = await queue.add({ view: 'events_by_type', cut: '2026-11-26T00:00:00Z' });
    await expect(job.finished()).resolves.toEqual({ rows: 'events_by_type'.length });
    expect(handled).toContainEqual({ view: 'events_by_type', cut: '2026-11-26T00:00:00Z' });
  });

  it('keeps one job per deterministic id, so enqueueing twice runs the work once', async () => {
    const data = { view: 'revenue_by_day', cut: '2026-11-26T01:00:00Z' };
    const jobId = `recompute:${data.view}:${data.cut}`;
    const first = await queue.add(data, { jobId });
    const second = await queue.add(data, { jobId });
    expect(second.id).toBe(first.id);
    await first.finished();
    expect(handled.filter((job) => job.cut === data.cut)).toHaveLength(1);
  });
});
