import type { ClickHouseClient } from '@clickhouse/client';
import { type DecodedEvent, decodeStoredEventText } from './stored-event-record';

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
  /** Write-ahead log of ranges (pending → done), next to the table: `<table>_progress`. */
  progressTable?: string;
  /**
   * Recent event_ids per partition, fed from the table by a materialized view (libs/views
   * `events_rt_ids`): `<table>_ids`. Its columns are (partition, event_id, ingested_at).
   */
  idsTable?: string;
  /**
   * How far back an event_id counts as already stored (client retries): 24 h. At most the id
   * table's window (`eventIdWindowHours` of the real-time DDL, 24 h): it holds no older ids.
   */
  dedupWindowMs?: number;
  /** Called before the rows are written; must store the records durably (the DLQ topic). */
  onUndecodable?: (records: UndecodableRecord[]) => Promise<void>;
  /**
   * An event is late when it was ingested more than this long after it occurred (ms, default
   * 1 h). Late events are stored and counted like any other; the outcome only reports them.
   */
  allowedLatenessMs?: number;
}

/** What one `write` did with the records of a range, for metrics. */
export interface SinkWriteOutcome {
  /** Rows inserted into the table (new events). */
  written: number;
  /** Records not inserted because their event_id is already stored or repeated in the range. */
  duplicates: number;
  /** Records sent to the DLQ instead. */
  undecodable: number;
  /** Late events among the rows written, by event type. */
  late: Record<string, number>;
  /** Newest `_ingested_at` among the rows written (epoch ms), 0 when none. */
  newestIngestedMs: number;
}

const TABLE = /^[a-z][a-z0-9_]*$/;

/**
 * Writes StoredEvent records into `events_rt` so that each event has one effect:
 * - an INSERT carries `insert_deduplication_token` = the offset range, so the retried write of a
 *   range is dropped by ClickHouse (and by the materialized views whose targets set the same
 *   deduplication window);
 * - `storedUpTo` answers from a write-ahead log of ranges (`<table>_progress`), so a consumer that
 *   died after the insert and before its commit resumes after it, and an insert interrupted
 *   before every view was pushed is completed first;
 * - event_ids already present in the partition within the dedup window are filtered out, which
 *   catches client retries and a zombie member's overlap after a rebalance. The check reads
 *   `<table>_ids`, ordered by (partition, event_id), so its cost grows with the range, not with
 *   the table; the same INSERT writes it through a materialized view, deduplicated with the rest.
 */
export class EventsRtSink {
  private readonly table: string;
  private readonly progress: string;
  private readonly ids: string;
  private readonly dedupWindowMs: number;
  private readonly allowedLatenessMs: number;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: EventsRtSinkOptions = {},
  ) {
    this.table = options.table ?? 'events_rt';
    this.progress = options.progressTable ?? `${this.table}_progress`;
    this.ids = options.idsTable ?? `${this.table}_ids`;
    for (const name of [this.table, this.progress, this.ids]) {
      if (!TABLE.test(name)) throw new Error(`invalid table name ${JSON.stringify(name)}`);
    }
    this.dedupWindowMs = options.dedupWindowMs ?? 86_400_000;
    this.allowedLatenessMs = options.allowedLatenessMs ?? 3_600_000;
  }

  /** The table, its range log and its recent ids: what a full rebuild (replay CLI) clears together. */
  tables(): [table: string, progress: string, ids: string] {
    return [this.table, this.progress, this.ids];
  }

  /** The range log, created when missing (idempotent). Call once before consuming. */
  async prepare(): Promise<void> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.progress} (
                partition UInt32, first_offset UInt64, last_offset UInt64, token String,
                state Enum8('pending' = 1, 'done' = 2, 'void' = 3), at DateTime64(3, 'UTC') DEFAULT now64(3)
              ) ENGINE = MergeTree ORDER BY (partition, last_offset)`,
    });
  }

  /**
   * How far the partition is in the sink: the last offset of the last completed range. First
   * finishes a range a crash interrupted: its rows reached events_rt but perhaps not every view
   * (a materialized view is pushed after its source part is written, not atomically with it).
   * Inserting those rows again with the range's token drops them from events_rt and inserts them
   * into exactly the view targets that missed them (`deduplicate_blocks_in_dependent_materialized_views`).
   */
  async storedUpTo(_topic: string, partition: number): Promise<string | undefined> {
    // A range's latest state counts (a tie keeps the later state): a range voided below is written
    // again from Kafka, often with the same boundaries and so the same token, and a crash inside
    // that attempt must not hide behind the old void.
    const pending = await this.rows<{ first: string; last: string; token: string }>(
      `SELECT toString(first_offset) AS first, toString(last_offset) AS last, token FROM ${this.progress}
       WHERE partition = {partition:UInt32} GROUP BY first_offset, last_offset, token
       HAVING argMax(state, (at, state)) = 'pending'`,
      { partition },
    );
    for (const range of pending) {
      const present = await this.rows<{ n: string }>(
        `SELECT count() AS n FROM ${this.table} WHERE _kafka_partition = {partition:UInt32}
         AND _kafka_offset BETWEEN {first:UInt64} AND {last:UInt64}`,
        { partition, first: range.first, last: range.last },
      );
      if (present[0]?.n !== '0') {
        await this.client.command({
          query: `INSERT INTO ${this.table} SELECT * FROM ${this.table} WHERE _kafka_partition = {partition:UInt32}
                  AND _kafka_offset BETWEEN {first:UInt64} AND {last:UInt64} ORDER BY _kafka_offset`,
          query_params: { partition, first: range.first, last: range.last },
          clickhouse_settings: this.dedupSettings(range.token),
        });
      }
      // Rows absent: the insert never landed, Kafka still has them and they will be written anew.
      await this.mark(
        partition,
        range.first,
        range.last,
        range.token,
        present[0]?.n !== '0' ? 'done' : 'void',
      );
    }
    const [row] = await this.rows<{ last: string; ranges: string }>(
      `SELECT toString(max(last_offset)) AS last, count() AS ranges FROM ${this.progress}
       WHERE partition = {partition:UInt32} AND state = 'done'`,
      { partition },
    );
    return row && row.ranges !== '0' ? row.last : undefined;
  }

  async write(range: SinkRange, records: readonly SinkRecord[]): Promise<SinkWriteOutcome> {
    const rows: Row[] = [];
    const undecodable: UndecodableRecord[] = [];
    for (const record of records) {
      const text = record.value?.toString('utf8');
      const decoded = decodeStoredEventText(text);
      if (typeof decoded === 'string') {
        undecodable.push({
          topic: range.topic,
          partition: range.partition,
          offset: record.offset,
          reason: decoded,
          original: text ?? '',
        });
      } else {
        rows.push({
          id: decoded.event_id as string,
          type: decoded.type,
          occurredAt: decoded.occurred_at,
          ingestedAt: decoded._ingested_at,
          line: jsonEachRowLine(text as string, decoded, range.partition, record.offset),
        });
      }
    }
    if (undecodable.length > 0) {
      if (!this.options.onUndecodable)
        throw new Error(`${undecodable.length} undecodable records and no DLQ configured`);
      await this.options.onUndecodable(undecodable);
    }
    const fresh = await this.withoutStored(range.partition, rows);
    const outcome: SinkWriteOutcome = {
      written: fresh.length,
      duplicates: rows.length - fresh.length,
      undecodable: undecodable.length,
      late: {},
      newestIngestedMs: 0,
    };
    for (const row of fresh) {
      const ingested = Date.parse(String(row.ingestedAt));
      if (ingested > outcome.newestIngestedMs) outcome.newestIngestedMs = ingested;
      if (ingested - Date.parse(String(row.occurredAt)) > this.allowedLatenessMs) {
        const type = String(row.type);
        outcome.late[type] = (outcome.late[type] ?? 0) + 1;
      }
    }
    const token = `${range.topic}:${range.partition}:${range.firstOffset}-${range.lastOffset}`;
    // Write-ahead: the range is logged as pending before its rows go in, done after every view
    // got them. A range with nothing to insert (all copies or undecodable) is simply done.
    if (fresh.length > 0) {
      await this.mark(range.partition, range.firstOffset, range.lastOffset, token, 'pending');
      // The rows as JSONEachRow text, sent as the INSERT's data (no second serialisation).
      await this.client.command({
        query: `INSERT INTO ${this.table} FORMAT JSONEachRow\n${fresh.map((row) => row.line).join('\n')}`,
        clickhouse_settings: {
          ...this.dedupSettings(token),
          date_time_input_format: 'best_effort',
          input_format_json_read_objects_as_strings: 1,
          input_format_skip_unknown_fields: 1,
        },
      });
    }
    await this.mark(range.partition, range.firstOffset, range.lastOffset, token, 'done');
    return outcome;
  }

  private dedupSettings(token: string) {
    return {
      insert_deduplication_token: token,
      deduplicate_blocks_in_dependent_materialized_views: 1,
    } as const;
  }

  private async mark(
    partition: number,
    first: string,
    last: string,
    token: string,
    state: 'pending' | 'done' | 'void',
  ): Promise<void> {
    await this.client.insert({
      table: this.progress,
      values: [{ partition, first_offset: first, last_offset: last, token, state }],
      format: 'JSONEachRow',
    });
  }

  private async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }

  private async withoutStored(partition: number, rows: Row[]): Promise<Row[]> {
    if (rows.length === 0) return rows;
    const ids = [...new Set(rows.map((row) => row.id))];
    // A point lookup per id in (partition, event_id) order: about one granule per id and part.
    // PREWHERE on the key alone, so ingested_at is read only in the granules where an id matched.
    const result = await this.client.query({
      query: `SELECT DISTINCT toString(event_id) AS id FROM ${this.ids}
              PREWHERE partition = {partition:UInt32} AND event_id IN {ids:Array(UUID)}
              WHERE ingested_at >= now64(3) - toIntervalMillisecond({window:UInt64})`,
      query_params: { partition, window: this.dedupWindowMs, ids },
      format: 'JSONEachRow',
    });
    const stored = new Set((await result.json<{ id: string }>()).map((row) => row.id));
    const seen = new Set<string>();
    return rows.filter((row) => {
      if (stored.has(row.id) || seen.has(row.id)) return false;
      seen.add(row.id);
      return true;
    });
  }
}

/** A decoded record on its way into events_rt: what dedup and metrics need, and its row text. */
interface Row {
  id: string;
  type: unknown;
  occurredAt: unknown;
  ingestedAt: unknown;
  line: string;
}

const KAFKA_COLUMNS = ['_kafka_partition', '_kafka_offset'];

/**
 * The row as one line of JSONEachRow. The common case reuses the record's own text, with the
 * Kafka position appended before its closing brace; `properties` (a JSON object) is then read
 * into its String column as written (`input_format_json_read_objects_as_strings`). A record on
 * several lines, with non-object properties or its own `_kafka_*` fields is re-serialised.
 */
function jsonEachRowLine(
  text: string,
  event: DecodedEvent,
  partition: number,
  offset: string,
): string {
  const position = `"_kafka_partition":${partition},"_kafka_offset":${offset}`;
  const properties = event.properties;
  const end = text.lastIndexOf('}');
  if (
    typeof properties === 'object' &&
    properties !== null &&
    !Array.isArray(properties) &&
    !text.includes('\n') &&
    !KAFKA_COLUMNS.some((column) => column in event) &&
    text.trimEnd().length === end + 1
  ) {
    return `${text.slice(0, end)},${position}}`;
  }
  const row: Record<string, unknown> = { ...event, properties: JSON.stringify(properties ?? {}) };
  for (const column of KAFKA_COLUMNS) delete row[column];
  return `${JSON.stringify(row).slice(0, -1)},${position}}`;
}
