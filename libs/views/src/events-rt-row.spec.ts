import type { StoredEvent } from '@tributary/contracts';
import { toEventsRtRow } from './events-rt-row';

describe(toEventsRtRow.name, () => {
  it('writes times as UTC DateTime64(3) text, properties as JSON and the Kafka position', () => {
    const event: StoredEvent = {
      event_id: '00000000-0000-4000-8000-000000000001',
      type: 'order.placed',
      schema_version: 2,
      occurred_at: '2026-03-10T12:34:56.789Z',
      subject_id: null,
      properties: { amount: 2.5, cart: { items: 3 } },
      _ingested_at: '2026-03-10T12:35:00.001Z',
      _source: 'web',
      _correlation_id: 'corr-1',
      _schema_version: 2,
    };
    expect(toEventsRtRow(event, { partition: 3, offset: '9007199254740993' })).toEqual({
      event_id: '00000000-0000-4000-8000-000000000001',
      type: 'order.placed',
      schema_version: 2,
      occurred_at: '2026-03-10 12:34:56.789',
      subject_id: null,
      properties: '{"amount":2.5,"cart":{"items":3}}',
      _ingested_at: '2026-03-10 12:35:00.001',
      _source: 'web',
      _correlation_id: 'corr-1',
      _schema_version: 2,
      _kafka_partition: 3,
      _kafka_offset: '9007199254740993',
    });
  });
});
