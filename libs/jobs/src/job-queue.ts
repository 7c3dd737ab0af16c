import Bull from 'bull';

export type JobQueue<T = unknown> = Bull.Queue<T>;

export interface JobQueueOptions {
  /** redis://host:port[/db] */
  redisUrl: string;
  /** Key prefix in Redis; separate prefixes keep environments (or test files) apart. */
  prefix?: string;
}

/**
 * A bull queue on Redis, for scheduled and retried work (batch recomputes, connector runs).
 * Enqueue with a deterministic `jobId` to make it idempotent: bull keeps one job per id, so a
 * scheduler that fires twice, or a caller that retries, does not run the work twice.
 */
export function createJobQueue<T = unknown>(name: string, options: JobQueueOptions): JobQueue<T> {
  return new Bull<T>(name, options.redisUrl, {
    prefix: options.prefix ?? 'tributary',
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: 1_000,
      removeOnFail: false,
    },
  });
}
