import { randomBytes, randomUUID } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AvroFile, type AvroSchema, encodeAvroFile, readAvroFile } from './iceberg-avro';
import { type IcebergSnapshot, type MetadataVersion, writeNextMetadata } from './iceberg-metadata';

/** A manifest entry's status (Iceberg spec). */
export const EXISTING = 0;
export const ADDED = 1;
export const DELETED = 2;

export type ManifestEntry = Record<string, unknown> & {
  status: number;
  snapshot_id: bigint | null;
  sequence_number: bigint | null;
  file_sequence_number: bigint | null;
  data_file: Record<string, unknown> & {
    content: number;
    file_path: string;
    partition: Record<string, unknown>;
    record_count: bigint;
    file_size_in_bytes: bigint;
  };
};

/** A manifest of the snapshot being replaced, with the entry fields a rewrite needs. */
export interface LiveManifest {
  /** The manifest list record (`manifest_file`). */
  listEntry: Record<string, unknown> & { manifest_path: string; content: number };
  file: AvroFile;
  entries: ManifestEntry[];
}

/** Reads the manifests of a manifest list; entries with inherited sequence numbers get them. */
export async function readManifests(listPath: string): Promise<{
  list: AvroFile;
  manifests: LiveManifest[];
}> {
  const list = await readAvroFile(listPath);
  const manifests: LiveManifest[] = [];
  for (const record of list.records) {
    const listEntry = record as LiveManifest['listEntry'];
    const file = await readAvroFile(listEntry.manifest_path);
    const entries = (file.records as ManifestEntry[]).map((entry) => ({
      ...entry,
      sequence_number: entry.sequence_number ?? (listEntry.sequence_number as bigint),
      file_sequence_number: entry.file_sequence_number ?? (listEntry.sequence_number as bigint),
    }));
    manifests.push({ listEntry, file, entries });
  }
  return { list, manifests };
}

/** A new manifest: its entries (status set by the caller), content (0 data, 1 deletes). */
export interface NewManifest {
  content: number;
  specId: number;
  schema: AvroSchema;
  metadata: Record<string, Buffer>;
  entries: ManifestEntry[];
}

export interface ReplaceCommit {
  table: MetadataVersion;
  parent: IcebergSnapshot;
  /** Manifests of the parent carried over unchanged (their list records). */
  kept: Array<Record<string, unknown>>;
  written: NewManifest[];
  listSchema: AvroSchema;
  listMetadata: Record<string, Buffer>;
  summary: Record<string, string>;
  now?: Date;
}

function newSnapshotId(): bigint {
  return randomBytes(8).readBigInt64BE() & 0x7fff_ffff_ffff_ffffn;
}

function sumBy(entries: ManifestEntry[], status: number, of: 'count' | 'rows'): bigint {
  return entries
    .filter((e) => e.status === status)
    .reduce((sum, e) => sum + (of === 'count' ? 1n : e.data_file.record_count), 0n);
}

/**
 * Commits a `replace` snapshot on a local table: writes its manifests and manifest list (with the
 * spec's field ids), then `v<N+1>.metadata.json` with the new snapshot current
 * (`writeNextMetadata`: never half a file, never over another commit). Caller holds the lease.
 */
export async function commitReplace(commit: ReplaceCommit): Promise<bigint> {
  const { table, parent } = commit;
  const metadata = table.metadata;
  const folder = metadata.location.replace(/\/+$/, '');
  const snapshotId = newSnapshotId();
  const sequence = metadata['last-sequence-number'] + 1n;
  const listRecords: Array<Record<string, unknown>> = [];
  for (const manifest of commit.written) {
    const path = join(folder, 'metadata', `${randomUUID()}.avro`);
    const entries = manifest.entries.map((e) =>
      e.status === ADDED
        ? {
            ...e,
            snapshot_id: snapshotId,
            sequence_number: sequence,
            file_sequence_number: sequence,
          }
        : e.status === DELETED
          ? { ...e, snapshot_id: snapshotId }
          : e,
    );
    await writeFile(
      path,
      await encodeAvroFile({
        schema: manifest.schema,
        metadata: manifest.metadata,
        records: entries,
      }),
      { flag: 'wx' },
    );
    const sequences = entries.map((e) => e.sequence_number ?? sequence);
    listRecords.push({
      manifest_path: path,
      manifest_length: BigInt((await stat(path)).size),
      partition_spec_id: manifest.specId,
      content: manifest.content,
      sequence_number: sequence,
      min_sequence_number: sequences.reduce((a, b) => (b < a ? b : a), sequence),
      added_snapshot_id: snapshotId,
      added_files_count: Number(sumBy(entries, ADDED, 'count')),
      existing_files_count: Number(sumBy(entries, EXISTING, 'count')),
      deleted_files_count: Number(sumBy(entries, DELETED, 'count')),
      added_rows_count: sumBy(entries, ADDED, 'rows'),
      existing_rows_count: sumBy(entries, EXISTING, 'rows'),
      deleted_rows_count: sumBy(entries, DELETED, 'rows'),
      partitions: null,
      key_metadata: null,
    });
  }
  const listPath = join(folder, 'metadata', `snap-${snapshotId}-1-${randomUUID()}.avro`);
  await writeFile(
    listPath,
    await encodeAvroFile({
      schema: commit.listSchema,
      metadata: commit.listMetadata,
      records: [...listRecords, ...commit.kept],
    }),
    { flag: 'wx' },
  );

  const now = (commit.now ?? new Date()).getTime();
  const snapshot: IcebergSnapshot = {
    'snapshot-id': snapshotId,
    'parent-snapshot-id': parent['snapshot-id'],
    'sequence-number': sequence,
    'timestamp-ms': now,
    'manifest-list': listPath,
    'schema-id': metadata['current-schema-id'],
    summary: commit.summary,
  };
  const next = {
    ...metadata,
    'last-sequence-number': sequence,
    'last-updated-ms': now,
    'current-snapshot-id': snapshotId,
    snapshots: [...(metadata.snapshots ?? []), snapshot],
    'snapshot-log': [
      ...(metadata['snapshot-log'] ?? []),
      { 'snapshot-id': snapshotId, 'timestamp-ms': now },
    ],
    refs: { ...metadata.refs, main: { 'snapshot-id': snapshotId, type: 'branch' } },
  };
  await writeNextMetadata(table, next);
  return snapshotId;
}
