export { createJobQueue, type JobQueue, type JobQueueOptions } from './job-queue';
export { redisReadiness } from './redis-readiness';
export {
  assertCron,
  BullScheduler,
  InProcessScheduler,
  type JobHandler,
  type JobRun,
  type JobScheduler,
  type RetryPolicy,
  type ScheduledJob,
} from './scheduler';
