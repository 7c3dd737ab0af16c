import { demoTraffic } from './demo-traffic';

describe(demoTraffic.name, () => {
  const options = {
    events: 1_000,
    batchSize: 100,
    sources: ['web', 'ios'],
    seed: 7,
    now: Date.parse('2026-11-27T12:00:00Z'),
  };

  it('sends every generated event once in request-sized batches, from the given sources', () => {
    const batches = [...demoTraffic(options)];
    expect(batches).toHaveLength(10);
    expect(new Set(batches.map((b) => b.source))).toEqual(new Set(['web', 'ios']));
    const sent = batches.reduce((n, b) => n + b.events.length - b.repeats, 0);
    expect(sent).toBe(1_000);
  });

  it('repeats only valid events, and only ones sent before', () => {
    const seen = new Set<unknown>();
    let repeats = 0;
    for (const batch of demoTraffic(options)) {
      for (const event of batch.events) {
        if (seen.has(event.event_id)) repeats++;
        seen.add(event.event_id);
      }
    }
    const declared = [...demoTraffic(options)].reduce((n, b) => n + b.repeats, 0);
    expect(declared).toBeGreaterThan(10);
    expect(repeats).toBe(declared);
  });

  it('breaks a few percent of the events, each in a way the ingest API refuses', () => {
    const batches = [...demoTraffic(options)];
    const invalid = batches.reduce((n, b) => n + b.invalid, 0);
    expect(invalid).toBeGreaterThan(5);
    expect(invalid).toBeLessThan(100);
    const broken = batches
      .flatMap((b) => b.events)
      .filter(
        (e) =>
          e.type === 'order.refunded' ||
          e.occurred_at === 'yesterday' ||
          e.occurred_at === undefined ||
          (e.properties as Record<string, unknown>).unexpected === true,
      );
    expect(broken).toHaveLength(invalid);
  });

  it('is deterministic for a seed', () => {
    expect([...demoTraffic(options)]).toEqual([...demoTraffic(options)]);
  });

  it('never sends a null subject_id (the envelope takes a string or nothing)', () => {
    const events = [...demoTraffic(options)].flatMap((b) => b.events);
    expect(events.some((e) => 'subject_id' in e && e.subject_id === null)).toBe(false);
    expect(events.some((e) => !('subject_id' in e))).toBe(true);
  });
});
