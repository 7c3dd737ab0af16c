export { createJobQueue, type JobQueue, type JobQueueOptions } from './job-queue';
export { redisReadiness } from './redis-readiness';
