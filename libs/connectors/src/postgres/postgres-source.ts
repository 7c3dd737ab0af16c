import { Client, types } from 'pg';
import type { PostgresSourceSettings } from '../config/connector-config';
import type { Watermark } from '../store/connector-store';

/** Internal columns the page query adds: full-precision text of the watermark, tie-breaker, key, version. */
const WM = '__tributary_wm';
const TB = '__tributary_tb';
const VERSION = '__tributary_version';
const KEY = '__tributary_key_';

/** One row of a page: its columns, and its position and identity as Postgres prints them. */
export interface SourceRow {
  values: Record<string, unknown>;
  watermark: Watermark;
  key: string[];
  version: string;
}

/** Which rows a pull reads: above a committed watermark (less the overlap), or a backfill range. */
export type PullRange =
  | { kind: 'incremental'; after: Watermark | undefined; overlap: number }
  | { kind: 'range'; from: string; to: string };

/**
 * Reads a table or query of a source database in keyset pages ordered by (watermark,
 * tie-breaker): each page starts strictly after the last row of the previous one, so rows that
 * share a watermark value are neither skipped nor read twice however pages fall. Values used in
 * comparisons travel as Postgres's own text (never through a millisecond JS Date).
 */
export class PostgresSource {
  private readonly client: Client;
  private failure: Error | undefined;

  constructor(
    url: string,
    private readonly settings: PostgresSourceSettings,
    private readonly columns: { primaryKey: readonly string[]; version: string },
  ) {
    this.client = new Client({
      connectionString: url,
      connectionTimeoutMillis: 10_000,
      application_name: 'tributary-connector',
      // UTC, so the text of a timestamp (part of event ids) does not depend on the server's zone.
      options: '-c TimeZone=UTC',
      types: { getTypeParser: typeParser },
    });
    // A connection that dies between queries reports here; the next query then fails.
    this.client.on('error', (error) => {
      this.failure = error;
    });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /** Rows in the range (for a progress bar); one extra query. */
  async count(range: PullRange): Promise<number> {
    const { where, params } = this.lowerBound(range);
    const result = await this.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.from()} WHERE ${where.join(' AND ') || 'true'}`,
      params,
    );
    return Number(result[0]?.n ?? 0);
  }

  /** The next page after `cursor` (the last row of the previous page), at most pageSize rows. */
  async page(range: PullRange, cursor: Watermark | undefined): Promise<SourceRow[]> {
    const { where, params } = this.lowerBound(range);
    const wm = quote(this.settings.watermark.column);
    const tb = quote(this.settings.tieBreaker);
    if (cursor) {
      params.push(cursor.value, cursor.tieBreaker);
      where.push(`(t.${wm}, t.${tb}) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(this.settings.pageSize);
    const keys = this.columns.primaryKey
      .map((column, i) => `, (t.${quote(column)})::text AS "${KEY}${i}"`)
      .join('');
    const rows = await this.query<Record<string, unknown>>(
      `SELECT t.*, (t.${wm})::text AS "${WM}", (t.${tb})::text AS "${TB}",
              (t.${quote(this.columns.version)})::text AS "${VERSION}"${keys}
       FROM ${this.from()}
       WHERE ${where.join(' AND ') || 'true'}
       ORDER BY t.${wm}, t.${tb}
       LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => {
      const values: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (!column.startsWith('__tributary_')) values[column] = value;
      }
      return {
        values,
        watermark: { value: String(row[WM]), tieBreaker: String(row[TB]) },
        key: this.columns.primaryKey.map((_, i) => String(row[`${KEY}${i}`])),
        version: String(row[VERSION]),
      };
    });
  }

  private lowerBound(range: PullRange): { where: string[]; params: unknown[] } {
    const wm = `t.${quote(this.settings.watermark.column)}`;
    const timestamp = this.settings.watermark.type === 'timestamp';
    if (range.kind === 'range') {
      return { where: [`${wm} >= $1`, `${wm} < $2`], params: [range.from, range.to] };
    }
    if (!range.after) return { where: [], params: [] };
    // Re-read the overlap window below the watermark: rows that committed late with an older
    // value land there. Rows already published are skipped by event id, not here.
    return timestamp
      ? {
          where: [`${wm} >= ($1::timestamptz - $2::interval)`],
          params: [range.after.value, `${range.overlap} milliseconds`],
        }
      : {
          where: [`${wm} >= ($1::numeric - $2::numeric)`],
          params: [range.after.value, range.overlap],
        };
  }

  private from(): string {
    const { table, query } = this.settings;
    if (query !== undefined) return `(${query}) AS t`;
    return `${String(table).split('.').map(quote).join('.')} AS t`;
  }

  private async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    if (this.failure) throw this.failure;
    const result = await this.client.query(sql, params);
    return result.rows as T[];
  }
}

const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/**
 * Timestamps as ISO-8601 text with all their microseconds (a JS Date keeps milliseconds):
 * `2026-11-20 10:00:00.123456+00` → `2026-11-20T10:00:00.123456+00:00`; a timestamp without a
 * zone is taken as UTC. Everything else as pg parses it (int8 and numeric stay text).
 */
const typeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (oid === TIMESTAMPTZ || oid === TIMESTAMP) return isoTimestamp;
  return format === 'binary'
    ? types.getTypeParser(oid, 'binary')
    : types.getTypeParser(oid, 'text');
}) as typeof types.getTypeParser;

export function isoTimestamp(text: string): string {
  const match =
    /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})?(?::?(\d{2}))?$/.exec(text);
  if (!match) return text; // infinity, BC dates: left for the schema to refuse
  const [, date, time, hours, minutes] = match;
  return `${date}T${time}${hours === undefined ? 'Z' : `${hours}:${minutes ?? '00'}`}`;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
