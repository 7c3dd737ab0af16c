import { randomUUID } from 'node:crypto';
import type { Metrics } from '@tributary/platform';
import type { ConnectorConfig } from '../config/connector-config';
import type { RowPublisher } from '../events/row-events';
import type { ConnectorStore, RunCounts, RunMode, Watermark } from '../store/connector-store';
import { ConnectorError } from './connector-error';
import type { Pull, PullProgress } from './pull';
import { backoffDelay, isConnectionError, messageOf } from './retry';

export interface RunRequest {
  mode: RunMode;
  /** Backfill: watermark values [from, to), published again; the watermark does not move. */
  range?: { from: string; to: string };
  onProgress?: (progress: PullProgress) => void;
  /** Called before each retry, with the error and the delay. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export interface RunResult extends RunCounts {
  runId: string;
  correlationId: string;
  attempts: number;
  watermarkBefore: string | null;
  watermarkAfter: string | null;
  durationMs: number;
}

export interface ConnectorRunnerDeps {
  store: ConnectorStore;
  publisher: RowPublisher;
  /** The pull of one run of a connector (a fresh one per run). */
  pullFor: (config: ConnectorConfig) => Pull;
  metrics?: Metrics;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Runs a connector once, as one run record: attempts with exponential backoff and jitter while
 * the source does not answer (other errors fail at once), all within the connector's timeout;
 * the watermark and the entity table are committed only when an attempt read everything. Runs of
 * one connector never overlap (a Postgres advisory lock; a second one fails as `busy`).
 */
export class ConnectorRunner {
  constructor(private readonly deps: ConnectorRunnerDeps) {}

  async run(config: ConnectorConfig, request: RunRequest): Promise<RunResult> {
    return this.deps.store.exclusive(config.name, () => this.runExclusive(config, request));
  }

  private async runExclusive(config: ConnectorConfig, request: RunRequest): Promise<RunResult> {
    const { store } = this.deps;
    const startedAt = performance.now();
    const runId = randomUUID();
    const correlationId = `connector:${config.name}:${runId}`;
    const before = (await store.state(config.name))?.watermark;
    await store.startRun({
      runId,
      connector: config.name,
      correlationId,
      mode: request.mode,
      watermarkBefore: before?.value ?? null,
    });
    const counts: RunCounts = { read: 0, published: 0, rejected: 0, skipped: 0 };
    const timeout = new AbortController();
    const timer = setTimeout(
      () =>
        timeout.abort(
          new ConnectorError(
            'timeout',
            `${config.name}: run exceeded its timeout of ${config.timeoutMs} ms`,
          ),
        ),
      config.timeoutMs,
    );
    const pull = this.deps.pullFor(config);
    const ctx = {
      config,
      runId,
      correlationId,
      store,
      publisher: this.deps.publisher,
      counts,
      signal: timeout.signal,
      ...(request.range ? { range: request.range } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    };
    let attempt = 0;
    try {
      let after: Watermark | undefined;
      for (;;) {
        attempt += 1;
        await store.attempt(runId, attempt);
        try {
          after = await pull.attempt(ctx);
          break;
        } catch (error) {
          const cause = timeout.signal.aborted ? timeout.signal.reason : error;
          if (
            timeout.signal.aborted ||
            !isConnectionError(error) ||
            attempt >= config.retry.attempts
          ) {
            throw cause;
          }
          const delayMs = backoffDelay(attempt, config.retry, this.deps.random);
          request.onRetry?.({ attempt, delayMs, error });
          await untilAborted((this.deps.sleep ?? sleep)(delayMs), timeout.signal);
        }
      }
      timeout.signal.throwIfAborted();
      await pull.commit(ctx, after);
      const durationMs = performance.now() - startedAt;
      const watermarkAfter = (await store.state(config.name))?.watermark?.value ?? null;
      await store.finishRun(runId, { status: 'succeeded', counts, watermarkAfter, durationMs });
      this.record(config, 'succeeded', counts, durationMs);
      return {
        runId,
        correlationId,
        attempts: attempt,
        ...counts,
        watermarkBefore: before?.value ?? null,
        watermarkAfter,
        durationMs,
      };
    } catch (error) {
      const durationMs = performance.now() - startedAt;
      const message = messageOf(error);
      await store.finishRun(runId, {
        status: 'failed',
        counts,
        watermarkAfter: before?.value ?? null,
        error: message,
        durationMs,
      });
      this.record(config, 'failed', counts, durationMs);
      throw new ConnectorError(
        'run_failed',
        `${config.name}: run ${runId} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${message}`,
        { cause: error, runId },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private record(
    config: ConnectorConfig,
    outcome: 'succeeded' | 'failed',
    counts: RunCounts,
    ms: number,
  ) {
    const { metrics } = this.deps;
    if (!metrics) return;
    const connector = config.name;
    metrics.get('connector_runs_total').inc({ connector, outcome });
    metrics.get('connector_run_duration_seconds').observe({ connector, outcome }, ms / 1000);
    const rows = metrics.get('connector_rows_total');
    rows.inc({ connector, outcome: 'published' }, counts.published);
    rows.inc({ connector, outcome: 'rejected' }, counts.rejected);
    rows.inc({ connector, outcome: 'skipped' }, counts.skipped);
  }
}

/** `wait`, or the abort of `signal` if that comes first (rejecting with its reason). */
async function untilAborted(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      wait,
      new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
