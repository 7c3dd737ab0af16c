import { Metrics } from '@tributary/platform';
import { parsePrometheusText } from '@tributary/testing';
import type { SinkWriteOutcome } from '@tributary/warehouse';
import { countSkipped, type EventsRtPort, measuredSink } from './sink-metrics';

/** Our own sink port, faked: each write answers the next prepared outcome. */
class FakeSink implements EventsRtPort {
  readonly outcomes: SinkWriteOutcome[] = [];
  async storedUpTo(): Promise<string | undefined> {
    return '41';
  }
  async write(): Promise<SinkWriteOutcome> {
    const next = this.outcomes.shift();
    if (!next) throw new Error('ClickHouse unreachable');
    return next;
  }
}

const range = { topic: 't', partition: 0, firstOffset: '0', lastOffset: '9' };

async function series(metrics: Metrics, name: string) {
  const family = parsePrometheusText(await metrics.registry.metrics()).find(
    (f) => f.name === `tributary_${name}`,
  );
  return family?.metrics ?? [];
}

describe(measuredSink.name, () => {
  it('moves rows written, insert latency, dedup drops, late events and freshness', async () => {
    const metrics = new Metrics('speed-layer');
    const fake = new FakeSink();
    const now = 1_800_000_000_000;
    fake.outcomes.push(
      {
        written: 7,
        duplicates: 2,
        undecodable: 1,
        late: { 'order.placed': 3 },
        newestIngestedMs: now - 4_000,
      },
      { written: 0, duplicates: 5, undecodable: 0, late: {}, newestIngestedMs: 0 },
    );
    const sink = measuredSink(fake, metrics, () => now);
    await expect(sink.storedUpTo('t', 0)).resolves.toBe('41');
    await sink.write(range, []);
    await sink.write(range, []);
    await expect(sink.write(range, [])).rejects.toThrow('unreachable');
    countSkipped(metrics)({ records: 11 });

    expect(await series(metrics, 'rows_written_total')).toEqual([
      { labels: { service: 'speed-layer', store: 'clickhouse', table: 'events_rt' }, value: '7' },
    ]);
    const dropped = await series(metrics, 'dedup_dropped_total');
    expect(dropped.map((m) => [m.labels?.reason, m.value])).toEqual([
      ['event_id', '7'],
      ['offset_range', '11'],
    ]);
    expect(await series(metrics, 'late_events_total')).toEqual([
      {
        labels: { service: 'speed-layer', table: 'events_rt', type: 'order.placed' },
        value: '3',
      },
    ]);
    expect((await series(metrics, 'data_freshness_seconds'))[0]?.value).toBe('4');
    // Two successful writes observed; the failed one is not an insert latency.
    const latency = await series(metrics, 'insert_latency_seconds');
    expect(latency.map((m) => m.buckets?.['+Inf'])).toEqual(['2']);
  });
});
