import type { DlqRecord } from '@tributary/contracts';
import type { EventBus } from '@tributary/messaging';
import { takeIn } from '@tributary/registry';
import type { SchemaResolver } from './ports';

export interface ReplayLimits {
  eventsTopic: string;
  maxEventBytes: number;
  maxFutureSkewMs: number;
  publishTimeoutMs: number;
}

export interface ReplayOutcome {
  replayed: number;
  /** Still refused after the fix, by reason: they stay on the DLQ, nothing is re-queued. */
  stillRefused: Record<string, number>;
  unreadable: number;
}

/**
 * Replays DLQ records after a fix (a schema registered, a producer corrected): each original
 * payload is validated again exactly as intake does, with its original source and correlation
 * id, and what passes is published to the events topic. The record keeps its event_id — the one
 * the client sent or the one intake derived — so replaying twice adds no copies downstream.
 */
export async function replayDlq(
  records: readonly DlqRecord[],
  deps: { schemas: SchemaResolver; bus: EventBus; now: () => Date },
  limits: ReplayLimits,
): Promise<ReplayOutcome> {
  const outcome: ReplayOutcome = { replayed: 0, stillRefused: {}, unreadable: 0 };
  for (const record of records) {
    let value: unknown;
    try {
      value = JSON.parse(record.original);
    } catch {
      outcome.unreadable += 1;
      continue;
    }
    if (record.event_id && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      value = { event_id: record.event_id, ...(value as Record<string, unknown>) };
    }
    const intake = await takeIn([{ text: record.original, value }], deps.schemas, {
      source: record.source,
      correlationId: record.correlation_id,
      idempotencyKey: undefined,
      receivedAt: deps.now(),
      maxEventBytes: limits.maxEventBytes,
      maxFutureSkewMs: limits.maxFutureSkewMs,
    });
    for (const { reason } of intake.rejected)
      outcome.stillRefused[reason] = (outcome.stillRefused[reason] ?? 0) + 1;
    if (intake.events.length > 0) {
      await deps.bus.publish([{ topic: limits.eventsTopic, messages: intake.events }], {
        timeoutMs: limits.publishTimeoutMs,
      });
      outcome.replayed += intake.events.length;
    }
  }
  return outcome;
}
