import type { StoredEvent } from '@tributary/contracts';
import { defineView } from '../definition/view-definition';
import { referenceRows } from './reference-rows';

function event(overrides: Partial<StoredEvent>): StoredEvent {
  return {
    event_id: '00000000-0000-4000-8000-000000000001',
    type: 'order.placed',
    schema_version: null,
    occurred_at: '2026-03-10T12:34:56.789Z',
    subject_id: 'u1',
    properties: {},
    _ingested_at: '2026-03-10T12:35:00.000Z',
    _source: 'web',
    _correlation_id: 'c',
    _schema_version: 1,
    ...overrides,
  };
}

const view = defineView({
  name: 'orders',
  eventTypes: ['order.placed'],
  dimensions: [{ name: 'currency', property: 'currency', type: 'String' }],
  measures: [
    { name: 'orders', fn: 'count' },
    { name: 'revenue', fn: 'sum', of: { property: 'amount', type: 'Float64' } },
    { name: 'items', fn: 'max', of: { property: 'items', type: 'Int64' } },
    { name: 'buyers', fn: 'unique', of: { field: 'subject_id' }, method: 'exact' },
  ],
  grains: ['hour'],
  retentionDays: 1,
});

describe(referenceRows.name, () => {
  it('groups by bucket and dimensions with ClickHouse JSON shapes (64-bit integers quoted)', () => {
    const rows = referenceRows(view, 'hour', [
      event({ properties: { currency: 'EUR', amount: 2.5, items: 3 } }),
      event({ properties: { currency: 'EUR', amount: 1, items: 1 }, subject_id: 'u2' }),
      event({
        properties: { currency: 'EUR', amount: 4 },
        occurred_at: '2026-03-10T13:00:00.000Z',
      }),
      event({ type: 'page.viewed', properties: { currency: 'EUR', amount: 100 } }),
    ]);
    expect(rows).toEqual([
      {
        bucket: '2026-03-10 12:00:00',
        currency: 'EUR',
        orders: '2',
        revenue: 3.5,
        items: '3',
        buyers: '2',
      },
      {
        bucket: '2026-03-10 13:00:00',
        currency: 'EUR',
        orders: '1',
        revenue: 4,
        items: null,
        buyers: '1',
      },
    ]);
  });

  it('treats a mistyped or missing property as no value, and as the default in a dimension', () => {
    const rows = referenceRows(view, 'hour', [
      event({ properties: { currency: 3, amount: '2.5', items: 1.5 }, subject_id: null }),
    ]);
    expect(rows).toEqual([
      {
        bucket: '2026-03-10 12:00:00',
        currency: '',
        orders: '1',
        revenue: null,
        items: null,
        buyers: '0',
      },
    ]);
  });

  it('keeps only events inside the ingestion window', () => {
    const events = [
      event({ _ingested_at: '2026-03-10T12:59:59.999Z' }),
      event({ _ingested_at: '2026-03-10T13:00:00.000Z' }),
    ];
    const cut = new Date('2026-03-10T13:00:00Z');
    expect(referenceRows(view, 'hour', events, { before: cut })[0]?.orders).toBe('1');
    expect(referenceRows(view, 'hour', events, { from: cut })[0]?.orders).toBe('1');
  });
});
