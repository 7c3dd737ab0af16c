import { type StoredEvent, uuidV5 } from '@tributary/contracts';
import { SeededRandom } from './random';

export interface DemoEventsOptions {
  readonly count: number;
  /** Ingestion times are spread evenly over [ingestedFrom, ingestedFrom + ingestedSpanMs). */
  readonly ingestedFrom: Date;
  readonly ingestedSpanMs: number;
  readonly seed?: number;
  /** Share of late events: occurred 1–3 days before they were ingested. Default 0.05. */
  readonly lateFraction?: number;
  /** Distinct subject ids to draw from (about 5% of events have none). Default 200. */
  readonly subjects?: number;
  readonly sources?: readonly string[];
}

const NAMESPACE = '8a6d3c1e-2b4f-5a70-9c1d-3e5f7a9b0c2d';
const DAY = 86_400_000;

/**
 * Deterministic StoredEvents of the demo types (order.placed, page.viewed, signup.completed),
 * valid against DEMO_EVENT_SCHEMAS, in ingestion order, with distinct event ids. Amounts are
 * multiples of 0.25, so float sums are exact in any order and batch, real-time and a reference
 * computed in JavaScript agree to the last bit.
 */
export function demoEvents(options: DemoEventsOptions): StoredEvent[] {
  const random = new SeededRandom(options.seed ?? 1);
  const sources = options.sources ?? ['web', 'ios', 'backend'];
  const subjects = options.subjects ?? 200;
  const lateFraction = options.lateFraction ?? 0.05;
  const start = options.ingestedFrom.getTime();
  const step = options.ingestedSpanMs / Math.max(options.count, 1);
  const events: StoredEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const ingested = Math.floor(start + i * step);
    const lateness = random.chance(lateFraction)
      ? random.int(DAY, 3 * DAY)
      : random.int(0, 120_000);
    const kind = random.next();
    const [type, properties] =
      kind < 0.45
        ? (['page.viewed', pageViewed(random)] as const)
        : kind < 0.8
          ? (['order.placed', orderPlaced(random, i)] as const)
          : (['signup.completed', signupCompleted(random)] as const);
    events.push({
      event_id: uuidV5(`demo:${options.seed ?? 1}:${i}`, NAMESPACE),
      type,
      schema_version: random.chance(0.5) ? 1 : null,
      occurred_at: new Date(ingested - lateness).toISOString(),
      subject_id: random.chance(0.05) ? null : `user-${random.int(1, subjects)}`,
      properties,
      _ingested_at: new Date(ingested).toISOString(),
      _source: random.pick(sources),
      _correlation_id: `demo-${i}`,
      _schema_version: 1,
    });
  }
  return events;
}

function orderPlaced(random: SeededRandom, i: number): Record<string, unknown> {
  return {
    order_id: `o-${i}`,
    amount: random.int(1, 40_000) / 4,
    currency: random.pick(['EUR', 'USD', 'GBP']),
    item_count: random.int(1, 5),
    ...(random.chance(0.2) ? { coupon: 'WELCOME10' } : {}),
  };
}

function pageViewed(random: SeededRandom): Record<string, unknown> {
  return {
    page: { path: random.pick(['/', '/pricing', '/docs', '/blog/launch', '/signup']) },
    device: random.pick(['desktop', 'mobile', 'tablet', 'other']),
  };
}

function signupCompleted(random: SeededRandom): Record<string, unknown> {
  return {
    plan: random.pick(['free', 'pro', 'team']),
    trial: random.chance(0.4),
    ...(random.chance(0.7) ? { seats: random.int(1, 20) } : {}),
  };
}
