import type Bull from 'bull';
import cronParser from 'cron-parser';
import { createJobQueue } from './job-queue';

/** A job that runs on a cron schedule (in UTC). */
export interface ScheduledJob {
  name: string;
  /** Five fields (minute precision) or six (with seconds), evaluated in UTC. */
  cron: string;
}

export interface JobRun {
  /** Stable for one scheduled firing, also across retries and a stalled job run again. */
  id: string;
  name: string;
  scheduledFor: Date;
  /** 1 for the first attempt. */
  attempt: number;
}

export type JobHandler = (run: JobRun) => Promise<void>;

export interface RetryPolicy {
  attempts: number;
  /** First backoff; each retry doubles it. */
  backoffMs: number;
}

/**
 * The port the batch layer schedules through: bull repeatable jobs on Redis in the distributed
 * profile (one firing per schedule across every instance, retries, stalled-job recovery), an
 * in-process timer in the embedded one. Both give each firing a stable id, so a handler that is
 * idempotent by id makes a repeated run harmless.
 */
export interface JobScheduler {
  start(jobs: readonly ScheduledJob[], handler: JobHandler): Promise<void>;
  stop(): Promise<void>;
}

/** Refuses a malformed cron expression with the job named. */
export function assertCron(job: ScheduledJob): void {
  try {
    cronParser.parseExpression(job.cron, { tz: 'UTC' });
  } catch (error) {
    throw new Error(
      `schedule of '${job.name}' is not a cron expression ('${job.cron}'): ${(error as Error).message}`,
    );
  }
}

export class InProcessScheduler implements JobScheduler {
  private timers = new Map<string, NodeJS.Timeout>();
  /** The last firing per job: the next one is strictly after it (timers may fire early). */
  private last = new Map<string, Date>();
  private running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly retry: RetryPolicy) {}

  async start(jobs: readonly ScheduledJob[], handler: JobHandler): Promise<void> {
    jobs.forEach(assertCron);
    this.stopped = false;
    for (const job of jobs) this.arm(job, handler);
  }

  private arm(job: ScheduledJob, handler: JobHandler): void {
    if (this.stopped) return;
    const after = new Date(Math.max(Date.now(), (this.last.get(job.name)?.getTime() ?? 0) + 1));
    const next = cronParser
      .parseExpression(job.cron, { tz: 'UTC', currentDate: after })
      .next()
      .toDate();
    this.last.set(job.name, next);
    const timer = setTimeout(
      () => {
        this.arm(job, handler);
        const run = this.fire(job, next, handler);
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      },
      Math.max(0, next.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.set(job.name, timer);
  }

  private async fire(job: ScheduledJob, scheduledFor: Date, handler: JobHandler): Promise<void> {
    const id = `${job.name}:${scheduledFor.toISOString()}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await handler({ id, name: job.name, scheduledFor, attempt });
        return;
      } catch {
        if (attempt >= this.retry.attempts || this.stopped) return;
        await new Promise((resolve) =>
          setTimeout(resolve, this.retry.backoffMs * 2 ** (attempt - 1)),
        );
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}

interface JobData {
  name: string;
}

export class BullScheduler implements JobScheduler {
  private readonly queue: Bull.Queue<JobData>;

  constructor(
    name: string,
    options: { redisUrl: string; prefix?: string; retry: RetryPolicy },
    private readonly retry = options.retry,
  ) {
    this.queue = createJobQueue<JobData>(name, options);
  }

  async start(jobs: readonly ScheduledJob[], handler: JobHandler): Promise<void> {
    jobs.forEach(assertCron);
    // Forget schedules that are no longer configured (a changed cron is a new repeatable job).
    const wanted = new Set(jobs.map((job) => `${job.name}|${job.cron}`));
    for (const repeatable of await this.queue.getRepeatableJobs()) {
      if (!wanted.has(`${repeatable.name}|${repeatable.cron}`))
        await this.queue.removeRepeatableByKey(repeatable.key);
    }
    for (const job of jobs) {
      await this.queue.add(
        job.name,
        { name: job.name },
        {
          repeat: { cron: job.cron, tz: 'UTC' },
          attempts: this.retry.attempts,
          backoff: { type: 'exponential', delay: this.retry.backoffMs },
          removeOnComplete: 1_000,
          removeOnFail: 1_000,
        },
      );
    }
    for (const job of jobs) {
      void this.queue.process(job.name, 1, async (bullJob) => {
        await handler({
          id: String(bullJob.id),
          name: bullJob.data.name,
          scheduledFor: new Date(bullJob.timestamp + (bullJob.opts.delay ?? 0)),
          attempt: bullJob.attemptsMade + 1,
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.queue.close();
  }
}
