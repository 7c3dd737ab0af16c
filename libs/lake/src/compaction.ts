import type { ClickHouseClient } from '@clickhouse/client';
import { CompactionError, key, rewriteRows } from './compaction-rewrite';
import { latestMetadata, snapshotById } from './iceberg-metadata';
import { repairIcebergTable } from './iceberg-repair';
import {
  commitReplace,
  DELETED,
  EXISTING,
  type LiveManifest,
  type ManifestEntry,
  type NewManifest,
  readManifests,
} from './iceberg-snapshot';

export { CompactionError } from './compaction-rewrite';

export interface CompactionOutcome {
  /** Partitions rewritten. */
  partitions: number;
  dataFilesBefore: number;
  dataFilesAfter: number;
  removedDeleteFiles: number;
  /** The `replace` snapshot, when one was committed. */
  snapshotId?: string;
}

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
