import { demoEvents } from '@tributary/views';

/** One event as an upstream app POSTs it (no metadata: the ingest API adds that). */
export type PostedEvent = Record<string, unknown>;

export interface DemoBatch {
  source: string;
  events: PostedEvent[];
  /** How many of `events` are deliberately invalid, and how many repeat an earlier event_id. */
  invalid: number;
  repeats: number;
}

export interface DemoTrafficOptions {
  events: number;
  batchSize: number;
  sources: readonly string[];
  seed?: number;
  /** Share of deliberately invalid events (each breaks the schema a different way). */
  invalidFraction?: number;
  /** Share of events sent again with the same event_id (client retries). */
  repeatFraction?: number;
  /** The traffic's "now" (ms): events occurred during the minute before it, late ones days before. */
  now?: number;
}

const BREAKAGES: ReadonlyArray<(event: PostedEvent) => PostedEvent> = [
  (e) => ({ ...e, type: 'order.refunded' }), // unknown type
  (e) => ({ ...e, occurred_at: 'yesterday' }), // unparseable timestamp
  (e) => ({ ...e, properties: { ...(e.properties as object), unexpected: true } }), // schema
  ({ occurred_at: _dropped, ...e }) => e, // missing field
];

/**
 * Realistic demo traffic in request-sized batches: the demo event types (page views, orders,
 * sign-ups) with about 5% late events, plus deliberately invalid ones (they end in the DLQ with a
 * reason) and repeated event_ids (counted once downstream). Deterministic for a seed.
 */
export function* demoTraffic(options: DemoTrafficOptions): Generator<DemoBatch> {
  const invalidFraction = options.invalidFraction ?? 0.03;
  const repeatFraction = options.repeatFraction ?? 0.05;
  const now = options.now ?? Date.now();
  const stored = demoEvents({
    count: options.events,
    ingestedFrom: new Date(now - 60_000),
    ingestedSpanMs: 60_000,
    seed: options.seed ?? now % 1_000_000,
  });
  let random = (options.seed ?? now) % 2_147_483_647 || 1;
  const next = () => (random = (random * 48_271) % 2_147_483_647) / 2_147_483_647;
  const sent: PostedEvent[] = [];
  for (let start = 0; start < stored.length; start += options.batchSize) {
    const batch: DemoBatch = {
      source: options.sources[(start / options.batchSize) % options.sources.length],
      events: [],
      invalid: 0,
      repeats: 0,
    };
    for (const e of stored.slice(start, start + options.batchSize)) {
      let event: PostedEvent = {
        event_id: e.event_id,
        type: e.type,
        occurred_at: e.occurred_at,
        ...(e.subject_id === null ? {} : { subject_id: e.subject_id }),
        properties: e.properties,
      };
      if (next() < invalidFraction) {
        event = BREAKAGES[Math.floor(next() * BREAKAGES.length)](event);
        batch.invalid++;
      } else {
        sent.push(event);
      }
      batch.events.push(event);
      if (sent.length > 0 && next() < repeatFraction) {
        batch.events.push(sent[Math.floor(next() * sent.length)]);
        batch.repeats++;
      }
    }
    yield batch;
  }
}
