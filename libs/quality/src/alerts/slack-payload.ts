import type { SuiteResult } from '../run/results';

/** A run as the alerts see it: a result with where it ran; `id` is null when it was not stored. */
export interface StoredRunLike extends SuiteResult {
  readonly id: string | null;
  readonly checkpoint: string;
  readonly snapshotId: string | null;
}

/** Slack's incoming-webhook payload: `text` as the fallback, the same as `mrkdwn` blocks. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly {
    readonly type: 'section' | 'context';
    readonly text?: { readonly type: 'mrkdwn'; readonly text: string };
    readonly elements?: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
  }[];
}

const MAX_LISTED = 10;

/** The webhook message for a run that failed an error-severity expectation. */
export function slackPayload(run: StoredRunLike, reportUrl?: string): SlackPayload {
  const failed = run.results.filter((r) => r.status !== 'passed');
  const headline = `:rotating_light: Data quality: suite *${escapeMrkdwn(run.suite)}* failed at checkpoint *${escapeMrkdwn(run.checkpoint)}* on \`${escapeMrkdwn(run.table)}\``;
  const lines = failed
    .slice(0, MAX_LISTED)
    .map(
      (r) =>
        `• [${r.severity}] *${escapeMrkdwn(clip(r.name, 100))}* (${r.type}, ${r.status}): ${escapeMrkdwn(clip(r.message, 160))}`,
    );
  if (lines.length === 0) lines.push('No failing expectations.');
  if (failed.length > MAX_LISTED) lines.push(`… and ${failed.length - MAX_LISTED} more`);
  const context = [
    `run ${run.id ?? 'not stored'}`,
    ...(run.snapshotId === null ? [] : [`snapshot ${run.snapshotId}`]),
    `success rate ${Math.round(run.successRate * 1000) / 10}%`,
    ...(reportUrl === undefined ? [] : [`<${reportUrl}|data docs>`]),
  ].join(' · ');
  return {
    text: `Data quality: suite ${run.suite} failed at checkpoint ${run.checkpoint} (${failed.length} expectation(s))`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: headline } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  };
}

/** Slack refuses section texts over 3000 characters: ten clipped lines stay well below. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack's control characters in text: &, < and >. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
