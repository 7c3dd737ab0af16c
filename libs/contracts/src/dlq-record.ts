import type { ItemError, ItemErrorCode } from './item-result';

/**
 * A refused event on the DLQ topic: enough to understand it and to replay it after a fix —
 * the original payload exactly as received (text, not re-serialised), who sent it and why it was
 * refused. `reason` is the first error's code, for counting.
 */
export interface DlqRecord {
  reason: ItemErrorCode;
  errors: ItemError[];
  /** The item as received: its JSON text (or the NDJSON line), even when it did not parse. */
  original: string;
  source: string;
  correlation_id: string;
  /** Position in the request, and the request's Idempotency-Key if it had one. */
  index: number;
  idempotency_key: string | null;
  event_id: string | null;
  received_at: string;
  /** Where a connector read it (absent for events that came over HTTP). */
  origin?: DlqOrigin;
}

/** The place in a pulled source a refused row came from: connector, file and line, or table and key. */
export interface DlqOrigin {
  connector: string;
  file?: string;
  /** 1-based line of the file (CSV: the record's first line). */
  line?: number;
  table?: string;
  key?: string;
}
