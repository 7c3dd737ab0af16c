import type { StoredEvent } from '@tributary/contracts';

/**
 * Events whose properties do not match the declared types (and one of a type no view filters on),
 * derived from `base`: they pin down that batch, real-time and the reference all treat a
 * mistyped or missing property the same way (no value; the type's default as a dimension).
 */
export function offSchemaEvents(base: readonly StoredEvent[]): StoredEvent[] {
  const variants: Record<string, unknown>[] = [
    { amount: '12.5', currency: 'EUR', item_count: 2 },
    { amount: 3, item_count: 2.5 },
    { amount: true, currency: 7, item_count: '3' },
    { page: { path: 42 }, device: 'mobile' },
    { page: '/pricing', device: 'desktop' },
    { page: { path: '/docs' } },
    { plan: 'pro', trial: 'yes', seats: '4' },
    { plan: 'team', trial: false, seats: 1e3 },
    {},
  ];
  const types = [
    'order.placed',
    'order.placed',
    'order.placed',
    'page.viewed',
    'page.viewed',
    'page.viewed',
    'signup.completed',
    'signup.completed',
    'app.opened',
  ];
  return base.slice(0, 3 * variants.length).map((event, i) => ({
    ...event,
    event_id: `${event.event_id.slice(0, 24)}${(0xa00000000000 + i).toString(16)}`,
    type: types[i % types.length] as string,
    properties: variants[i % variants.length] as Record<string, unknown>,
    subject_id: i % 4 === 0 ? null : event.subject_id,
  }));
}
