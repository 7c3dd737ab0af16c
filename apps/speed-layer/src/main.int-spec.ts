import { waitFor } from '@tributary/testing';
import { demoEvents } from '@tributary/views';
import { metricTotal, metricValues, SpeedFixture } from './speed.fixture';

const HOUR = 3_600_000;

/**
 * The built speed layer as a process, Kafka → chDB (ARCHITECTURE G2): events with 10% client
 * retries (repeated event_ids) and 5% late events; the consumer is SIGKILLed mid-stream and
 * restarted with other fetch and insert sizes, so batch boundaries move. Afterwards every default
 * real-time view equals a reference computed here from the distinct events.
 */
describe('speed-layer process', () => {
  let speed: SpeedFixture;

  beforeAll(async () => {
    speed = await SpeedFixture.create('speed-layer-int');
  });

  afterAll(() => speed?.remove());

  it('counts every distinct event once across a SIGKILL and a restart with other batch sizes', async () => {
    const distinct = demoEvents({
      count: 4000,
      seed: 11,
      ingestedFrom: new Date(Date.now() - 2 * HOUR),
      ingestedSpanMs: HOUR,
    });
    const retried = distinct.filter((_, i) => i % 10 === 3); // client retries: same event, same id
    const stream = [
      ...distinct.slice(0, 2000),
      ...retried.slice(0, 200),
      ...distinct.slice(2000),
      ...retried.slice(200),
    ];
    expect(
      distinct.filter((e) => Date.parse(e._ingested_at) - Date.parse(e.occurred_at) > 86_400_000)
        .length,
    ).toBeGreaterThan(100);

    const start = (fetchBytes: string, rangeSize: string) =>
      speed.start({
        TRIBUTARY_SPEED_FETCH_BYTES: fetchBytes,
        TRIBUTARY_SPEED_RANGE_SIZE: rangeSize,
      });
    const first = await start('2KiB', '37');
    await speed.produce(stream.slice(0, 2600));
    await waitFor(async () => expect(await speed.committed()).toBeGreaterThan(300), {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    first.child.kill('SIGKILL');
    await first.exited;

    const undecodable = ['{"not": "an event"}', 'not json'];
    await speed.produce([...stream.slice(2600, 3000), ...undecodable, ...stream.slice(3000)]);
    const second = await start('64KiB', '500');
    await waitFor(
      async () => expect(await speed.committed()).toBe(stream.length + undecodable.length),
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const metrics = await speed.metrics();
    const lag = metricValues(metrics, 'consumer_lag');
    expect(lag.length).toBeGreaterThan(0);
    expect(lag.every((v) => v === 0)).toBe(true);
    const written = metricTotal(metrics, 'rows_written_total');
    expect(written).toBeGreaterThan(0);
    expect(metrics.map((f) => f.name)).toContain('tributary_data_freshness_seconds');
    // The second process alone: its counters started at zero.
    expect(metricTotal(metrics, 'events_dlq_total', ['reason', 'undecodable'])).toBe(
      undecodable.length,
    );
    expect(metricTotal(metrics, 'late_events_total')).toBeGreaterThan(0); // ~5% of what it wrote
    expect(metricTotal(metrics, 'late_events_total')).toBeLessThan(written / 5);
    expect(metricTotal(metrics, 'dedup_dropped_total', ['reason', 'event_id'])).toBeGreaterThan(0);
    expect(metricTotal(metrics, 'insert_latency_seconds')).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    await expect(second.exited).resolves.toMatchObject({ code: 0 });

    await speed.expectViewsEqualReference(distinct);
  }, 240_000);
});
