import type { OffsetRange, PartitionSink } from '@tributary/messaging';
import type { Metrics } from '@tributary/platform';
import type { EventsRtSink, SinkRecord, SinkWriteOutcome } from '@tributary/warehouse';

/** The part of EventsRtSink the speed layer drives (a port, so unit tests can fake it). */
export type EventsRtPort = Pick<EventsRtSink, 'storedUpTo' | 'write'>;

const TABLE = 'events_rt';

/**
 * Wraps the events_rt sink so every write is measured: rows written, insert latency, copies the
 * sink dropped by event_id, late events and freshness (now − ingestion time of the newest event
 * written). Records skipped by offset never reach the sink; `countSkipped` counts those.
 */
export function measuredSink(
  sink: EventsRtPort,
  metrics: Metrics,
  now: () => number = Date.now,
): PartitionSink {
  const rows = metrics.get('rows_written_total');
  const latency = metrics.get('insert_latency_seconds');
  const dropped = metrics.get('dedup_dropped_total');
  const late = metrics.get('late_events_total');
  const freshness = metrics.get('data_freshness_seconds');
  let newest = 0;
  freshness.reset();
  return {
    storedUpTo: (topic, partition) => sink.storedUpTo(topic, partition),
    write: async (range: OffsetRange, records: readonly SinkRecord[]) => {
      const started = performance.now();
      const outcome: SinkWriteOutcome = await sink.write(range, records);
      latency.observe({ store: 'clickhouse', table: TABLE }, (performance.now() - started) / 1000);
      if (outcome.written > 0) rows.inc({ store: 'clickhouse', table: TABLE }, outcome.written);
      if (outcome.duplicates > 0)
        dropped.inc({ table: TABLE, reason: 'event_id' }, outcome.duplicates);
      for (const [type, n] of Object.entries(outcome.late)) late.inc({ table: TABLE, type }, n);
      newest = Math.max(newest, outcome.newestIngestedMs);
      if (newest > 0) freshness.set({ view: TABLE, layer: 'realtime' }, (now() - newest) / 1000);
    },
  };
}

/** Counts records the consumer skipped because the sink's range log already holds them. */
export function countSkipped(metrics: Metrics): (skipped: { records: number }) => void {
  const dropped = metrics.get('dedup_dropped_total');
  return ({ records }) => dropped.inc({ table: TABLE, reason: 'offset_range' }, records);
}
