import { randomUUID } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { ICEBERG_WRITE } from './iceberg';
import {
  type IcebergTableMetadata,
  latestMetadata,
  type MetadataVersion,
  snapshotById,
} from './iceberg-metadata';
import { repairIcebergTable } from './iceberg-repair';
import {
  commitReplace,
  DELETED,
  EXISTING,
  ADDED,
  type LiveManifest,
  type ManifestEntry,
  type NewManifest,
  readManifests,
} from './iceberg-snapshot';

export interface CompactionOutcome {
  /** Partitions rewritten. */
  partitions: number;
  dataFilesBefore: number;
  dataFilesAfter: number;
  removedDeleteFiles: number;
  /** The `replace` snapshot, when one was committed. */
  snapshotId?: string;
}

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

const key = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

interface Partition {
  data: ManifestEntry[];
  deletes: ManifestEntry[];
}

/** Live entries of the snapshot by partition (default spec only; others are left alone). */
function partitions(manifests: LiveManifest[], specId: number): Map<string, Partition> {
  const byPartition = new Map<string, Partition>();
  for (const manifest of manifests) {
    if (Number(manifest.listEntry.partition_spec_id) !== specId) continue;
    for (const entry of manifest.entries) {
      if (entry.status === DELETED) continue;
      const id = key(entry.data_file.partition);
      const partition = byPartition.get(id) ?? { data: [], deletes: [] };
      (entry.data_file.content === 0 ? partition.data : partition.deletes).push(entry);
      byPartition.set(id, partition);
    }
  }
  return byPartition;
}

/**
 * First fit decreasing: groups of items whose sizes add up to at most `target` (an item bigger
 * than that alone). An item of a later group did not fit into any earlier one, so any two groups
 * together exceed the target. A rewritten group comes out somewhat smaller than its inputs
 * together (less per-file overhead), so a later run may pack a few again — but every rewrite
 * turns two or more files into one, so runs converge instead of rewriting the same data forever
 * (as letting ClickHouse split by its uncompressed byte limit would).
 */
export function packBySize<T>(
  items: readonly T[],
  size: (item: T) => number,
  target: number,
): T[][] {
  const bins: Array<{ items: T[]; total: number }> = [];
  for (const item of [...items].sort((a, b) => size(b) - size(a))) {
    const bytes = size(item);
    const bin = bins.find((b) => b.total + bytes <= target);
    if (bin) {
      bin.items.push(item);
      bin.total += bytes;
    } else {
      bins.push({ items: [item], total: bytes });
    }
  }
  return bins.map((bin) => bin.items);
}

const fileSize = (entry: ManifestEntry) => Number(entry.data_file.file_size_in_bytes);

/**
 * The groups of files to rewrite, each into one file: in a partition, its data files smaller than
 * the target packed into groups of up to the target, groups of one left alone; in a partition with
 * position deletes, every data file (so its delete files can go — a position delete applies only
 * within its partition). Files at or above the target elsewhere stay.
 */
function plan(byPartition: Map<string, Partition>, targetSizeBytes: number) {
  const groups: ManifestEntry[][] = [];
  const dropDeletes: ManifestEntry[] = [];
  let count = 0;
  for (const { data, deletes } of byPartition.values()) {
    const withDeletes = deletes.length > 0 && data.length > 0;
    const candidates = withDeletes ? data : data.filter((e) => fileSize(e) < targetSizeBytes);
    const packed = packBySize(candidates, fileSize, targetSizeBytes).filter(
      (group) => withDeletes || group.length >= 2,
    );
    if (packed.length === 0) continue;
    groups.push(...packed);
    if (withDeletes) dropDeletes.push(...deletes);
    count += 1;
  }
  return { groups, rewrite: groups.flat(), dropDeletes, partitions: count };
}

/**
 * Compacts an Iceberg table of the local lake: small data files of a partition are rewritten
 * into files of up to `targetSizeBytes` and committed as one `replace` snapshot (ClickHouse's
 * own `OPTIMIZE TABLE` on 26.7 leaves these files as they are, and on a table with position
 * deletes returned wrong rows — measured). The rows are read through ClickHouse at the pinned
 * current snapshot (deletes applied) and written by ClickHouse into a scratch Iceberg table with
 * the same schema and partitioning — so the new Parquet files carry the Iceberg field ids and
 * column metrics ClickHouse writes — then moved into the table and committed with a manifest
 * that adds them and marks the replaced files deleted. Earlier snapshots keep their files (time
 * travel); expiry and orphan cleanup remove them later. Caller holds the table's lease.
 */
export async function compactLakeTable(
  client: ClickHouseClient,
  table: string,
  folder: string,
  options: { targetSizeBytes: number; now?: Date },
): Promise<CompactionOutcome> {
  if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new CompactionError(`invalid table name '${table}'`);
  await repairIcebergTable(folder);
  const current = await latestMetadata(folder);
  const { metadata } = current;
  const parent = snapshotById(metadata, metadata['current-snapshot-id']);
  if (!parent)
    return { partitions: 0, dataFilesBefore: 0, dataFilesAfter: 0, removedDeleteFiles: 0 };
  const { list, manifests } = await readManifests(parent['manifest-list']);
  const byPartition = partitions(manifests, metadata['default-spec-id']);
  const dataFilesBefore = [...byPartition.values()].reduce((n, p) => n + p.data.length, 0);
  const chosen = plan(byPartition, options.targetSizeBytes);
  const unchanged = {
    partitions: 0,
    dataFilesBefore,
    dataFilesAfter: dataFilesBefore,
    removedDeleteFiles: 0,
  };
  if (chosen.partitions === 0) return unchanged;

  const added = await rewriteRows(client, table, current, parent['snapshot-id'], chosen.groups);
  const replaced = new Set(
    [...chosen.rewrite, ...chosen.dropDeletes].map((e) => e.data_file.file_path),
  );
  const touched = manifests.filter((m) =>
    m.entries.some((e) => replaced.has(e.data_file.file_path)),
  );
  const written: NewManifest[] = [];
  for (const content of [0, 1]) {
    const sources = touched.filter((m) => m.listEntry.content === content);
    const first = sources[0];
    if (!first) continue;
    const entries: ManifestEntry[] = sources.flatMap((m) =>
      m.entries
        .filter((e) => e.status !== DELETED)
        .map((e) => ({ ...e, status: replaced.has(e.data_file.file_path) ? DELETED : EXISTING })),
    );
    if (content === 0) entries.unshift(...added);
    written.push({
      content,
      specId: Number(first.listEntry.partition_spec_id),
      schema: first.file.schema,
      metadata: first.file.metadata,
      entries,
    });
  }
  const rows = (entries: ManifestEntry[]) =>
    entries.reduce((n, e) => n + e.data_file.record_count, 0n);
  const size = (entries: ManifestEntry[]) =>
    entries.reduce((n, e) => n + e.data_file.file_size_in_bytes, 0n);
  const snapshotId = await commitReplace({
    table: current,
    parent,
    kept: manifests.filter((m) => !touched.includes(m)).map((m) => m.listEntry),
    written,
    listSchema: list.schema,
    listMetadata: list.metadata,
    now: options.now,
    summary: summarize(parent.summary, {
      addedFiles: added.length,
      addedRecords: rows(added),
      addedSize: size(added),
      deletedFiles: chosen.rewrite.length,
      deletedRecords: rows(chosen.rewrite),
      removedSize: size(chosen.rewrite) + size(chosen.dropDeletes),
      removedDeleteFiles: chosen.dropDeletes.length,
      removedPositionDeletes: rows(chosen.dropDeletes),
    }),
  });
  return {
    partitions: chosen.partitions,
    dataFilesBefore,
    dataFilesAfter: dataFilesBefore - chosen.rewrite.length + added.length,
    removedDeleteFiles: chosen.dropDeletes.length,
    snapshotId: snapshotId.toString(),
  };
}

/** The snapshot summary of a replace, totals carried from the parent's when it has them. */
function summarize(
  previous: Record<string, string>,
  change: {
    addedFiles: number;
    addedRecords: bigint;
    addedSize: bigint;
    deletedFiles: number;
    deletedRecords: bigint;
    removedSize: bigint;
    removedDeleteFiles: number;
    removedPositionDeletes: bigint;
  },
): Record<string, string> {
  const summary: Record<string, string> = {
    operation: 'replace',
    'added-data-files': String(change.addedFiles),
    'added-records': String(change.addedRecords),
    'added-files-size': String(change.addedSize),
    'deleted-data-files': String(change.deletedFiles),
    'deleted-records': String(change.deletedRecords),
    'removed-files-size': String(change.removedSize),
    'removed-delete-files': String(change.removedDeleteFiles),
    'removed-position-deletes': String(change.removedPositionDeletes),
  };
  const totals: Array<[string, bigint]> = [
    ['total-records', change.addedRecords - change.deletedRecords],
    ['total-files-size', change.addedSize - change.removedSize],
    ['total-data-files', BigInt(change.addedFiles - change.deletedFiles)],
    ['total-delete-files', BigInt(-change.removedDeleteFiles)],
    ['total-position-deletes', -change.removedPositionDeletes],
    ['total-equality-deletes', 0n],
  ];
  for (const [name, delta] of totals) {
    const before = previous[name];
    if (before !== undefined && /^\d+$/.test(before))
      summary[name] = String(BigInt(before) + delta);
  }
  return summary;
}

/**
 * Reads the rows of the groups' files at the pinned snapshot (position deletes applied) and has
 * ClickHouse write each group into one file of a scratch Iceberg table with the table's schema and
 * partitioning; moves the new data files into the table's `data/` and returns their manifest
 * entries (status ADDED).
 */
async function rewriteRows(
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
    const counted = await client.query({
      query: `SELECT count() AS n FROM ${stage}`,
      format: 'JSONEachRow',
    });
    const [{ n: staged }] = await counted.json<{ n: string }>();
    if (staged === '0') return [];
    const written = await latestMetadata(scratchFolder);
    checkSameLayout(current.metadata, written.metadata);
    const snapshot = snapshotById(written.metadata, written.metadata['current-snapshot-id']);
    if (!snapshot) throw new CompactionError('the scratch table has no snapshot after its insert');
    const { manifests } = await readManifests(snapshot['manifest-list']);
    const entries = manifests.flatMap((m) => m.entries).filter((e) => e.data_file.content === 0);
    const total = entries.reduce((n, e) => n + e.data_file.record_count, 0n);
    if (total.toString() !== staged) {
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
