import type { ClickHouseClient } from '@clickhouse/client';
import { ICEBERG_WRITE, icebergEngine, type LakeLocation } from '@tributary/lake';
import type { EntityTableSettings } from '../config/connector-config';

/**
 * The current state of a source table with a primary key, as an Iceberg table in the lake
 * (beside the append-only history of its row versions in the master dataset).
 *
 * Upsert is delete-then-insert: `ALTER TABLE … DELETE` of the keys (chDB 3.4 / ClickHouse 26.7
 * writes Iceberg position-delete files for it), then one INSERT of their current rows. That is
 * two snapshots, not one: a reader between them misses those keys. Deletes in the source are not
 * seen (a pull sees rows, not their absence).
 */
export class EntityTable {
  /** What ClickHouse calls the table; the lake folder is `entity_<table>`. */
  readonly name: string;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly location: LakeLocation,
    private readonly settings: EntityTableSettings,
    private readonly primaryKey: readonly string[],
  ) {
    this.name = `lake_entity_${settings.table}`;
  }

  async prepare(): Promise<void> {
    const columns = this.settings.columns.map(([name, type]) => `  ${quote(name)} ${type}`);
    await this.client.command({
      query: [
        `CREATE TABLE IF NOT EXISTS ${this.name}`,
        '(',
        columns.join(',\n'),
        ')',
        `ENGINE = ${icebergEngine(this.location, `entity_${this.settings.table}`)}`,
      ].join('\n'),
    });
  }

  /** Replaces the rows of these keys with the given rows (the source's current state of each). */
  async upsert(given: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    if (given.length === 0) return;
    // One row per key, the last given winning (a file may hold several versions of a key).
    const byKey = new Map(
      given.map((row) => [JSON.stringify(this.primaryKey.map((k) => String(row[k]))), row]),
    );
    const rows = [...byKey.values()];
    await this.prepare();
    const keyExpr = `(${this.primaryKey.map((k) => `toString(${quote(k)})`).join(', ')},)`;
    const keys = rows
      .map((row) => `(${this.primaryKey.map((k) => literal(String(row[k]))).join(', ')},)`)
      .join(', ');
    await this.client.command({
      query: `ALTER TABLE ${this.name} DELETE WHERE ${keyExpr} IN (${keys})`,
      // The key list is inline: room for ~50k keys (the default max_query_size is 256 KiB).
      clickhouse_settings: { ...ICEBERG_WRITE, mutations_sync: '2', max_query_size: '67108864' },
    });
    await this.client.insert({
      table: this.name,
      format: 'JSONEachRow',
      values: rows.map((row) =>
        Object.fromEntries(this.settings.columns.map(([name]) => [name, plain(row[name])])),
      ),
      clickhouse_settings: { ...ICEBERG_WRITE, date_time_input_format: 'best_effort' },
    });
  }

  /** Every row, ordered by the primary key (for state checks and the CLI). */
  async rows(): Promise<Array<Record<string, unknown>>> {
    const result = await this.client.query({
      query: `SELECT * FROM ${this.name} ORDER BY ${this.primaryKey.map(quote).join(', ')}`,
      format: 'JSONEachRow',
    });
    return result.json<Record<string, unknown>>();
  }
}

function quote(identifier: string): string {
  return `\`${identifier.replace(/`/g, '``')}\``;
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}
