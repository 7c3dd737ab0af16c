import { randomUUID } from 'node:crypto';
import { link, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of an Iceberg table's metadata.json (format v2) the lake code reads or writes. */
export interface IcebergSnapshot {
  'snapshot-id': bigint;
  'parent-snapshot-id'?: bigint;
  'sequence-number': bigint;
  'timestamp-ms': number;
  'manifest-list': string;
  'schema-id'?: number;
  summary: Record<string, string>;
}

export interface IcebergTableMetadata {
  'format-version': number;
  location: string;
  'last-sequence-number': bigint;
  'last-updated-ms': number;
  'current-snapshot-id': bigint;
  'current-schema-id': number;
  'default-spec-id': number;
  'partition-specs': Array<{
    'spec-id': number;
    fields: Array<{ name: string; 'field-id': number; 'source-id': number; transform: string }>;
  }>;
  schemas: Array<{ 'schema-id': number; fields: Array<Record<string, unknown>> }>;
  snapshots?: IcebergSnapshot[];
  'snapshot-log'?: Array<{ 'snapshot-id': bigint; 'timestamp-ms': number }>;
  'metadata-log'?: Array<{ 'metadata-file': string; 'timestamp-ms': number }>;
  refs?: Record<string, { 'snapshot-id': bigint; type: string }>;
  [key: string]: unknown;
}

export interface MetadataVersion {
  version: number;
  path: string;
  metadata: IcebergTableMetadata;
}

/**
 * Snapshot ids and sequence numbers are 64-bit: JSON numbers of 16+ digits are read as bigint
 * (through a sentinel string, since JSON.parse would round them) and written back as numbers.
 */
const BIG = '\u0000bigint:';

export function parseTableMetadata(text: string): IcebergTableMetadata {
  // The sentinel goes into the JSON text escaped (a raw NUL is not valid JSON).
  const quoted = text.replace(/(:\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"\\u0000bigint:$2"');
  const metadata = JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(BIG) ? BigInt(value.slice(BIG.length)) : value,
  ) as IcebergTableMetadata;
  // Short ids and sequence numbers came through as numbers: one type for every id.
  const big = <T extends object>(object: T, field: keyof T) => {
    const value = object[field];
    if (typeof value === 'number') object[field] = BigInt(value) as T[keyof T];
  };
  big(metadata, 'current-snapshot-id');
  big(metadata, 'last-sequence-number');
  for (const snapshot of metadata.snapshots ?? []) {
    big(snapshot, 'snapshot-id');
    big(snapshot, 'parent-snapshot-id');
    big(snapshot, 'sequence-number');
  }
  for (const entry of metadata['snapshot-log'] ?? []) big(entry, 'snapshot-id');
  for (const ref of Object.values(metadata.refs ?? {})) big(ref, 'snapshot-id');
  return metadata;
}

export function formatTableMetadata(metadata: IcebergTableMetadata): string {
  const json = JSON.stringify(
    metadata,
    (_key, value: unknown) => (typeof value === 'bigint' ? `${BIG}${value}` : value),
    2,
  );
  return json.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

/** The newest `v<N>.metadata.json` of a table folder (how ClickHouse and PyIceberg find it). */
export async function latestMetadata(folder: string): Promise<MetadataVersion> {
  const names = await readdir(join(folder, 'metadata'));
  let version = -1;
  for (const name of names) {
    const match = /^v(\d+)\.metadata\.json$/.exec(name);
    if (match && Number(match[1]) > version) version = Number(match[1]);
  }
  if (version < 0) throw new Error(`${folder}: no v<N>.metadata.json — not an Iceberg table`);
  const path = join(folder, 'metadata', `v${version}.metadata.json`);
  return { version, path, metadata: parseTableMetadata(await readFile(path, 'utf8')) };
}

export function snapshotById(
  metadata: IcebergTableMetadata,
  id: bigint | undefined,
): IcebergSnapshot | undefined {
  return id === undefined || id < 0n
    ? undefined
    : metadata.snapshots?.find((s) => s['snapshot-id'] === id);
}

/**
 * Commits `next` as `v<N+1>.metadata.json` after `table` (version N). The file is created with a
 * hard link from a finished temporary file, so a reader never sees half of it and a commit that
 * took version N+1 first is never overwritten: this one fails instead. The previous file joins
 * the metadata log.
 */
export async function writeNextMetadata(
  table: MetadataVersion,
  next: IcebergTableMetadata,
): Promise<void> {
  const updated: IcebergTableMetadata = {
    ...next,
    'metadata-log': [
      ...(next['metadata-log'] ?? []).filter((m) => m['metadata-file'] !== table.path),
      { 'metadata-file': table.path, 'timestamp-ms': table.metadata['last-updated-ms'] },
    ],
  };
  const target = join(table.path, '..', `v${table.version + 1}.metadata.json`);
  const temporary = `${target}.${randomUUID()}.tmp`;
  await writeFile(temporary, formatTableMetadata(updated));
  try {
    await link(temporary, target);
  } finally {
    await unlink(temporary);
  }
}
