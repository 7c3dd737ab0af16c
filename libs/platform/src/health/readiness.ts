import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { scrubSecrets } from '../logging/logger';

/** One dependency a service needs to do its work, e.g. Kafka for the ingest API. */
export interface ReadinessCheck {
  /** Shown in the readiness answer: `kafka`, `postgres`, … */
  name: string;
  /** Resolves when the dependency answers; rejects (with a reason) when it does not. */
  check(): Promise<void>;
  /** Longest wait for an answer; a hung dependency counts as down. Default 2 s. */
  timeoutMs?: number;
  /** Releases the probe's own connection at shutdown, where it keeps one. */
  close?(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface DependencyStatus {
  status: 'up' | 'down';
  latency_ms: number;
  error?: string;
}

export interface ReadinessAnswer {
  status: 'ok' | 'error' | 'shutting_down';
  checks: Record<string, DependencyStatus>;
}

/**
 * Readiness: may this instance take traffic now? Yes when every dependency answers, and not once
 * shutdown has begun, so a load balancer drains the instance before it stops.
 */
@Injectable()
export class Readiness implements OnApplicationShutdown {
  private draining = false;

  constructor(@Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[]) {}

  startDraining(): void {
    this.draining = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.checks.map(async (check) => check.close?.()));
  }

  async evaluate(): Promise<ReadinessAnswer> {
    const results = await Promise.all(this.checks.map((check) => probe(check)));
    const checks = Object.fromEntries(this.checks.map((check, i) => [check.name, results[i]]));
    if (this.draining) return { status: 'shutting_down', checks };
    return { status: results.every((r) => r.status === 'up') ? 'ok' : 'error', checks };
  }
}

async function probe(check: ReadinessCheck): Promise<DependencyStatus> {
  const started = performance.now();
  const timeoutMs = check.timeoutMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      status: 'down',
      latency_ms: Math.round(performance.now() - started),
      error: scrubSecrets(reason || 'unreachable'),
    };
  } finally {
    clearTimeout(timer);
  }
}
