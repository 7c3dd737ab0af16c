import type { Metrics } from '@tributary/platform';
import { isBlocking } from '../run/results';
import type { StoredRunLike } from './slack-payload';
import { slackPayload } from './slack-payload';

/** The part of a pino logger the alerts use (the platform's `AppLogger` fits). */
export interface AlertLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface QualityAlertsOptions {
  readonly logger?: AlertLogger;
  /** The service's registry: `dq_pass_ratio{suite}` and `dq_expectation_failures_total{suite,severity}`. */
  readonly metrics?: Metrics;
  /** Slack-compatible incoming webhook (TRIBUTARY_DQ_WEBHOOK_URL); unset means no webhook. */
  readonly webhookUrl?: string;
  /** Where the data docs are published, linked from the webhook message. */
  readonly reportUrl?: string;
  readonly webhookTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * What happens after a checkpoint run: the suite's success rate and failure counts go to the
 * metrics; a run that failed an error-severity expectation is logged at error level and posted
 * to the webhook; warn-severity failures are logged as warnings only. Alerting never throws — a
 * webhook that is down is logged and the run's result stands.
 */
export class QualityAlerts {
  constructor(private readonly options: QualityAlertsOptions = {}) {}

  async notify(run: StoredRunLike): Promise<void> {
    const { logger, metrics } = this.options;
    metrics?.get('dq_pass_ratio').set({ suite: run.suite }, run.successRate);
    const failures = run.results.filter((r) => r.status !== 'passed');
    for (const severity of ['error', 'warn'] as const) {
      const count = failures.filter((r) => r.severity === severity).length;
      // inc(0) still creates the series, so a rate over it starts at zero instead of absent.
      metrics?.get('dq_expectation_failures_total').inc({ suite: run.suite, severity }, count);
    }
    const fields = {
      event: 'dq.checkpoint',
      suite: run.suite,
      checkpoint: run.checkpoint,
      table: run.table,
      run_id: run.id,
      snapshot_id: run.snapshotId,
      success_rate: run.successRate,
    };
    const blocking = run.results.filter(isBlocking);
    if (blocking.length === 0) {
      if (failures.length > 0) {
        logger?.warn(
          { ...fields, event: 'dq.checkpoint_warned', warnings: failures.map(summary) },
          `Data-quality suite ${run.suite} passed with ${failures.length} warning(s)`,
        );
      } else {
        logger?.info(fields, `Data-quality suite ${run.suite} passed`);
      }
      return;
    }
    logger?.error(
      { ...fields, event: 'dq.checkpoint_failed', failures: failures.map(summary) },
      `Data-quality suite ${run.suite} failed ${blocking.length} error-severity expectation(s) at checkpoint ${run.checkpoint}`,
    );
    await this.postWebhook(run);
  }

  private async postWebhook(run: StoredRunLike): Promise<void> {
    const { webhookUrl, logger } = this.options;
    if (webhookUrl === undefined) return;
    const doFetch = this.options.fetch ?? fetch;
    try {
      const response = await doFetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(slackPayload(run, this.options.reportUrl)),
        signal: AbortSignal.timeout(this.options.webhookTimeoutMs ?? 5_000),
      });
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    } catch (error) {
      logger?.warn(
        { event: 'dq.webhook_failed', suite: run.suite, run_id: run.id, reason: String(error) },
        'Data-quality alert webhook could not be delivered',
      );
    }
  }
}

function summary(r: StoredRunLike['results'][number]) {
  return { expectation: r.name, severity: r.severity, status: r.status, message: r.message };
}
