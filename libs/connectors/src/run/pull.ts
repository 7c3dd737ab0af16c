import type { ConnectorConfig } from '../config/connector-config';
import type { RowPublisher } from '../events/row-events';
import type { ConnectorStore, RunCounts, Watermark } from '../store/connector-store';

/** What one attempt of a run needs: who it is, where to publish, and how to report. */
export interface PullContext {
  config: ConnectorConfig;
  runId: string;
  correlationId: string;
  store: ConnectorStore;
  publisher: RowPublisher;
  /** Added to as the attempt goes: the run record sums its attempts. */
  counts: RunCounts;
  signal: AbortSignal;
  /** A backfill range of watermark values [from, to); incremental from the watermark otherwise. */
  range?: { from: string; to: string };
  onProgress?: (progress: PullProgress) => void;
}

export interface PullProgress {
  /** Rows (or files) done in this attempt, and the total when it was counted first. */
  done: number;
  total?: number;
}

/** One attempt of a connector's run; throws on failure (the runner decides whether to retry). */
export interface Pull {
  /** Reads, publishes and records; returns the watermark to commit (none: nothing to move). */
  attempt(ctx: PullContext): Promise<Watermark | undefined>;
  /** Makes what the attempt did durable: entity table, watermark. Called once, on success. */
  commit(ctx: PullContext, watermark: Watermark | undefined): Promise<void>;
}
