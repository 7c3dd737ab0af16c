import type { StoredEvent } from '@tributary/contracts';
import { formatDateTime64 } from './compile/clickhouse-time';

/** Where a record was read from: its Kafka partition and offset (kafkajs gives offsets as strings). */
export interface KafkaPosition {
  readonly partition: number;
  readonly offset: string | number;
}

/** One events_rt row, as JSONEachRow takes it. */
export interface EventsRtRow {
  event_id: string;
  type: string;
  schema_version: number | null;
  occurred_at: string;
  subject_id: string | null;
  properties: string;
  _ingested_at: string;
  _source: string;
  _correlation_id: string;
  _schema_version: number;
  _kafka_partition: number;
  _kafka_offset: string;
}

/**
 * A StoredEvent as an events_rt row: times as UTC `YYYY-MM-DD hh:mm:ss.sss`, `properties` as JSON
 * text (what the compiled views read with JSONExtract*), plus the Kafka position for lineage.
 */
export function toEventsRtRow(event: StoredEvent, position: KafkaPosition): EventsRtRow {
  return {
    event_id: event.event_id,
    type: event.type,
    schema_version: event.schema_version,
    occurred_at: formatDateTime64(event.occurred_at),
    subject_id: event.subject_id,
    properties: JSON.stringify(event.properties),
    _ingested_at: formatDateTime64(event._ingested_at),
    _source: event._source,
    _correlation_id: event._correlation_id,
    _schema_version: event._schema_version,
    _kafka_partition: position.partition,
    _kafka_offset: String(position.offset),
  };
}
