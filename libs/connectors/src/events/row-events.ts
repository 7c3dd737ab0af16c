import { deriveRowEventId, type DlqOrigin } from '@tributary/contracts';
import type { EventBus } from '@tributary/messaging';
import { type RawItem, type SchemaResolver, takeIn } from '@tributary/registry';
import type { ConnectorConfig } from '../config/connector-config';

/** One row as a connector read it, before it becomes an event. */
export interface ExtractedRow {
  /** Column → value, as the source driver or parser gave it. */
  values: Record<string, unknown>;
  /** Table (`schema.table`) or file path: part of the event id. */
  table: string;
  /** Primary key values as text, in key order (a file's line number when it has no key). */
  key: string[];
  /** The row version as text (the version column, or the file checksum). */
  version: string;
  origin: DlqOrigin;
}

/** A row turned into an intake item, with the id it will have on the bus. */
export interface RowItem {
  eventId: string;
  item: RawItem;
}

/**
 * The event of a row: `event_id` derived from (source, table, key, version), so re-reads and
 * re-runs give the same id; the configured event type, event time and subject; every column as
 * a property (dates as ISO-8601, binary as base64, 64-bit integers as text).
 */
export function rowItem(config: ConnectorConfig, row: ExtractedRow): RowItem {
  const eventId = deriveRowEventId(config.source, row.table, row.key, row.version);
  const properties = Object.fromEntries(
    Object.entries(row.values).map(([column, value]) => [column, jsonValue(value)]),
  );
  const occurredColumn =
    config.occurredAt ?? (config.pull.kind === 'postgres' ? config.pull.watermark.column : '');
  const subject = config.subject === undefined ? undefined : row.values[config.subject];
  const envelope = {
    event_id: eventId,
    type: config.eventType,
    occurred_at: properties[occurredColumn],
    ...(subject === undefined || subject === null ? {} : { subject_id: String(subject) }),
    properties,
  };
  return { eventId, item: { text: JSON.stringify(envelope), value: envelope, origin: row.origin } };
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

export interface PublishSettings {
  eventsTopic: string;
  dlqTopic: string;
  publishTimeoutMs: number;
  maxEventBytes: number;
  maxFutureSkewMs: number;
}

export interface PublishContext {
  source: string;
  correlationId: string;
  extractedAt: Date;
}

/**
 * Validates pulled rows exactly as the ingest API validates pushed events (libs/registry
 * `takeIn`: envelope, registered schema, size) and writes the valid ones to the events topic
 * and the refused ones, with their reasons and origin, to the DLQ — in one bus write that
 * resolves only once the broker acknowledged all of it.
 */
export class RowPublisher {
  constructor(
    private readonly bus: EventBus,
    private readonly schemas: SchemaResolver,
    private readonly settings: PublishSettings,
  ) {}

  async publish(
    items: readonly RawItem[],
    ctx: PublishContext,
  ): Promise<{ accepted: number; rejected: number }> {
    if (items.length === 0) return { accepted: 0, rejected: 0 };
    const now = new Date();
    const intake = await takeIn([...items], this.schemas, {
      source: ctx.source,
      correlationId: ctx.correlationId,
      idempotencyKey: undefined,
      receivedAt: now,
      extractedAt: ctx.extractedAt,
      maxEventBytes: this.settings.maxEventBytes,
      maxFutureSkewMs: this.settings.maxFutureSkewMs,
    });
    await this.bus.publish(
      [
        { topic: this.settings.eventsTopic, messages: intake.events },
        { topic: this.settings.dlqTopic, messages: intake.dlq },
      ],
      { timeoutMs: this.settings.publishTimeoutMs },
    );
    return { accepted: intake.accepted.length, rejected: intake.rejected.length };
  }
}
