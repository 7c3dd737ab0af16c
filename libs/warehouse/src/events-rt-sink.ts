import type { ClickHouseClient } from '@clickhouse/client';

/** A fixed offset range of one partition (same shape as @tributary/messaging's OffsetRange). */
export interface SinkRange {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
}

export interface SinkRecord {
  offset: string;
  value: Buffer | null;
}

/** A record that could not be turned into a row: it goes to the DLQ with where it came from. */
export interface UndecodableRecord {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  original: string;
}

export interface EventsRtSinkOptions {
  table?: string;
  /** How far back an event_id counts as already stored (client retries): 24 h. */
  dedupWindowMs?: number;
  /** Called before the rows are written; must store the records durably (the DLQ topic). */
  onUndecodable?: (records: UndecodableRecord[]) => Promise<void>;
}

const TABLE = /^[a-z][a-z0-9_]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUIRED = [
  'event_id',
  'type',
  'occurred_at',
  'properties',
  '_ingested_at',
  '_source',
] as const;

/**
 * Writes StoredEvent records into `events_rt` so that each event has one effect:
 * - an INSERT carries `insert_deduplication_token` = the offset range, so the retried write of a
 *   range is dropped by ClickHouse (and by the materialized views whose targets set the same
 *   deduplication window);
 * - `storedUpTo` answers from the rows themselves (max offset per partition), so a consumer that
 *   died after the insert and before its commit resumes after it;
 * - event_ids already present in the partition within the dedup window are filtered out, which
 *   catches client retries and a zombie member's overlap after a rebalance.
 */
export class EventsRtSink {
  private readonly table: string;
  private readonly dedupWindowMs: number;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: EventsRtSinkOptions = {},
  ) {
    this.table = options.table ?? 'events_rt';
    if (!TABLE.test(this.table))
      throw new Error(`invalid table name ${JSON.stringify(this.table)}`);
    this.dedupWindowMs = options.dedupWindowMs ?? 86_400_000;
  }

  async storedUpTo(_topic: string, partition: number): Promise<string | undefined> {
    const result = await this.client.query({
      query: `SELECT toString(max(_kafka_offset)) AS offset, count() AS rows FROM ${this.table} WHERE _kafka_partition = {partition:UInt32}`,
      query_params: { partition },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ offset: string; rows: string }>();
    return row && row.rows !== '0' ? row.offset : undefined;
  }

  async write(range: SinkRange, records: readonly SinkRecord[]): Promise<void> {
    const rows: Array<Record<string, unknown>> = [];
    const undecodable: UndecodableRecord[] = [];
    for (const record of records) {
      const decoded = decode(record.value);
      if (typeof decoded === 'string') {
        undecodable.push({
          topic: range.topic,
          partition: range.partition,
          offset: record.offset,
          reason: decoded,
          original: record.value?.toString() ?? '',
        });
      } else {
        rows.push({
          ...decoded,
          properties: JSON.stringify(decoded.properties ?? {}),
          _kafka_partition: range.partition,
          _kafka_offset: record.offset,
        });
      }
    }
    if (undecodable.length > 0) {
      if (!this.options.onUndecodable)
        throw new Error(`${undecodable.length} undecodable records and no DLQ configured`);
      await this.options.onUndecodable(undecodable);
    }
    const fresh = await this.withoutStored(range.partition, rows);
    if (fresh.length === 0) return;
    await this.client.insert({
      table: this.table,
      values: fresh,
      format: 'JSONEachRow',
      clickhouse_settings: {
        insert_deduplication_token: `${range.topic}:${range.partition}:${range.firstOffset}-${range.lastOffset}`,
        date_time_input_format: 'best_effort',
      },
    });
  }

  private async withoutStored(
    partition: number,
    rows: Array<Record<string, unknown>>,
  ): Promise<Array<Record<string, unknown>>> {
    if (rows.length === 0) return rows;
    const ids = [...new Set(rows.map((row) => String(row.event_id)))];
    const result = await this.client.query({
      query: `SELECT DISTINCT toString(event_id) AS id FROM ${this.table}
              WHERE _kafka_partition = {partition:UInt32}
                AND _ingested_at >= now64(3) - toIntervalMillisecond({window:UInt64})
                AND event_id IN {ids:Array(UUID)}`,
      query_params: { partition, window: this.dedupWindowMs, ids },
      format: 'JSONEachRow',
    });
    const stored = new Set((await result.json<{ id: string }>()).map((row) => row.id));
    const seen = new Set<string>();
    return rows.filter((row) => {
      const id = String(row.event_id);
      if (stored.has(id) || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
}

type Decoded = Record<string, unknown> & { properties?: unknown };

/** The StoredEvent in a record, or why there is none. */
function decode(value: Buffer | null): Decoded | string {
  if (value === null) return 'empty record';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'not a JSON object';
  const event = parsed as Record<string, unknown>;
  const missing = REQUIRED.filter((field) => event[field] === undefined);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  if (typeof event.event_id !== 'string' || !UUID.test(event.event_id))
    return 'event_id is not a UUID';
  return event as Decoded;
}
