import { randomUUID } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { countRows } from '@tributary/warehouse';
import { ICEBERG_WRITE } from './iceberg';
import {
  type IcebergTableMetadata,
  latestMetadata,
  type MetadataVersion,
  snapshotById,
} from './iceberg-metadata';
import { ADDED, type ManifestEntry, readManifests } from './iceberg-snapshot';

export class CompactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompactionError';
  }
}

/** ClickHouse's PARTITION BY for an Iceberg partition transform (those ClickHouse writes). */
const TRANSFORMS: Record<string, (column: string) => string> = {
  identity: (c) => c,
  day: (c) => `toRelativeDayNum(${c})`,
  days: (c) => `toRelativeDayNum(${c})`,
  hour: (c) => `toRelativeHourNum(${c})`,
  hours: (c) => `toRelativeHourNum(${c})`,
  month: (c) => `toMonthNumSinceEpoch(${c})`,
  months: (c) => `toMonthNumSinceEpoch(${c})`,
  year: (c) => `toYearNumSinceEpoch(${c})`,
  years: (c) => `toYearNumSinceEpoch(${c})`,
};

function partitionBy(metadata: IcebergTableMetadata): string {
  const spec = metadata['partition-specs'].find(
    (s) => s['spec-id'] === metadata['default-spec-id'],
  );
  const schema = metadata.schemas.find((s) => s['schema-id'] === metadata['current-schema-id']);
  const parts = (spec?.fields ?? []).map((field) => {
    const column = schema?.fields.find((f) => f.id === field['source-id'])?.name;
    const transform = TRANSFORMS[field.transform];
    if (typeof column !== 'string' || !transform) {
      throw new CompactionError(
        `partition field '${field.name}' (${field.transform}) is not supported`,
      );
    }
    return transform(column);
  });
  return parts.length === 0 ? '' : `PARTITION BY (${parts.join(', ')})`;
}

/** A JSON key for values with bigints (partition tuples, schemas). */
export const key = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * Reads the rows of the groups' files at the pinned snapshot (position deletes applied) and has
 * ClickHouse write each group into one file of a scratch Iceberg table with the table's schema and
 * partitioning; moves the new data files into the table's `data/` and returns their manifest
 * entries (status ADDED).
 */
export async function rewriteRows(
  client: ClickHouseClient,
  table: string,
  current: MetadataVersion,
  snapshotId: bigint,
  groups: ManifestEntry[][],
): Promise<ManifestEntry[]> {
  const folder = current.metadata.location.replace(/\/+$/, '');
  const id = randomUUID().replace(/-/g, '');
  const stage = `compact_stage_${table}_${id}`;
  const scratch = `compact_scratch_${table}_${id}`;
  const scratchFolder = join(dirname(folder), `.compaction-${basename(folder)}-${id}`);
  const files = groups.flatMap((group) => group.map((e) => basename(e.data_file.file_path)));
  const groupOf = groups.flatMap((group, index) => group.map(() => index));
  await removeLeftovers(client, table, folder);
  try {
    await client.command({
      query: `CREATE TABLE ${stage} ENGINE = MergeTree ORDER BY tuple() AS
              SELECT *, CAST(transform(_file, {files:Array(String)}, {groups:Array(UInt32)}, 0) AS UInt32) AS compaction_group
              FROM ${table} WHERE _file IN {files:Array(String)}`,
      query_params: { files, groups: groupOf },
      clickhouse_settings: { iceberg_snapshot_id: snapshotId.toString() },
    });
    const described = await client.query({
      query: `DESCRIBE TABLE ${table}`,
      format: 'JSONEachRow',
    });
    const columns = await described.json<{ name: string; type: string }>();
    await client.command({
      query: `CREATE TABLE ${scratch} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})
              ENGINE = IcebergLocal('${scratchFolder}') ${partitionBy(current.metadata)}`,
      clickhouse_settings: ICEBERG_WRITE,
    });
    // One insert per group, without ClickHouse's own file splitting: one file per group.
    for (let group = 0; group < groups.length; group += 1) {
      await client.command({
        query: `INSERT INTO ${scratch} SELECT * EXCEPT (compaction_group) FROM ${stage}
                WHERE compaction_group = {group:UInt32}`,
        query_params: { group },
        clickhouse_settings: {
          ...ICEBERG_WRITE,
          iceberg_insert_max_rows_in_data_file: String(Number.MAX_SAFE_INTEGER),
          iceberg_insert_max_bytes_in_data_file: String(Number.MAX_SAFE_INTEGER),
        },
      });
    }
    const staged = await countRows(client, stage);
    if (staged === 0) return [];
    const written = await latestMetadata(scratchFolder);
    checkSameLayout(current.metadata, written.metadata);
    const snapshot = snapshotById(written.metadata, written.metadata['current-snapshot-id']);
    if (!snapshot) throw new CompactionError('the scratch table has no snapshot after its insert');
    const { manifests } = await readManifests(snapshot['manifest-list']);
    const entries = manifests.flatMap((m) => m.entries).filter((e) => e.data_file.content === 0);
    const total = entries.reduce((n, e) => n + e.data_file.record_count, 0n);
    if (total !== BigInt(staged)) {
      throw new CompactionError(
        `rewrote ${total} rows of ${staged}: not committing the compaction`,
      );
    }
    const moved: ManifestEntry[] = [];
    for (const entry of entries) {
      const path = join(folder, 'data', basename(entry.data_file.file_path));
      await rename(entry.data_file.file_path, path);
      moved.push({ ...entry, status: ADDED, data_file: { ...entry.data_file, file_path: path } });
    }
    return moved;
  } finally {
    await client.command({ query: `DROP TABLE IF EXISTS ${stage}` });
    await client.command({ query: `DROP TABLE IF EXISTS ${scratch}` });
    await rm(scratchFolder, { recursive: true, force: true });
  }
}

/**
 * Drops what a compaction of this table that died left behind: its stage and scratch tables and
 * the scratch folder (the caller holds the table's lease, so none of them is in use).
 */
async function removeLeftovers(client: ClickHouseClient, table: string, folder: string) {
  const result = await client.query({
    query: `SELECT name FROM system.tables WHERE database = currentDatabase()
            AND match(name, {pattern:String})`,
    query_params: { pattern: `^compact_(stage|scratch)_${table}_[0-9a-f]{32}$` },
    format: 'JSONEachRow',
  });
  for (const { name } of await result.json<{ name: string }>()) {
    await client.command({ query: `DROP TABLE IF EXISTS ${name}` });
  }
  const prefix = `.compaction-${basename(folder)}-`;
  for (const name of await readdir(dirname(folder))) {
    if (name.startsWith(prefix))
      await rm(join(dirname(folder), name), { recursive: true, force: true });
  }
}

/** The scratch table must have the table's field ids and partition spec, or its files do not fit. */
function checkSameLayout(table: IcebergTableMetadata, scratch: IcebergTableMetadata): void {
  const schema = (m: IcebergTableMetadata) =>
    key(m.schemas.find((s) => s['schema-id'] === m['current-schema-id'])?.fields);
  const spec = (m: IcebergTableMetadata) =>
    key(m['partition-specs'].find((s) => s['spec-id'] === m['default-spec-id'])?.fields);
  if (schema(table) !== schema(scratch) || spec(table) !== spec(scratch)) {
    throw new CompactionError('the rewritten files do not have the table schema and partitioning');
  }
}
