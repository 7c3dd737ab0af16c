import type { INestApplication } from '@nestjs/common';
import type { AppLogger } from './logging/logger';
import { Readiness } from './health/readiness';

export type ShutdownOutcome = 'clean' | 'timeout';

export interface ShutdownDeps {
  app: INestApplication;
  logger: AppLogger;
  timeoutMs: number;
  /** Flushes what is buffered outside Nest (spans); runs after the app closed or timed out. */
  flush: () => Promise<void>;
}

/**
 * Graceful stop: report not-ready so traffic drains, stop accepting, let in-flight requests and
 * module shutdown hooks (consumers hand back partitions, pools close) finish, flush spans. If that
 * takes longer than the timeout, give up waiting and say so: the supervisor then restarts us, and
 * whatever was not acknowledged is redelivered — never silently lost.
 */
export function createShutdown(deps: ShutdownDeps): (reason: string) => Promise<ShutdownOutcome> {
  let stopping: Promise<ShutdownOutcome> | undefined;
  return (reason) => {
    stopping ??= (async () => {
      const started = Date.now();
      deps.logger.info({ event: 'service.stopping', reason, timeout_ms: deps.timeoutMs });
      deps.app.get(Readiness).startDraining();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        deps.app.close().then(() => 'clean' as const),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), deps.timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      await deps
        .flush()
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'flush failed'));
      const fields = {
        event: 'service.stopped',
        reason,
        outcome,
        duration_ms: Date.now() - started,
      };
      if (outcome === 'clean') deps.logger.info(fields);
      else deps.logger.error(fields, 'shutdown timed out; in-flight work may be redelivered');
      return outcome;
    })();
    return stopping;
  };
}
