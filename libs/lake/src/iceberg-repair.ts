import { stat } from 'node:fs/promises';
import { encodeAvroFile, readAvroFile, replaceFile } from './iceberg-avro';
import { hasFieldIds, manifestEntrySchema, manifestListSchema } from './iceberg-field-ids';
import { type IcebergTableMetadata, latestMetadata, snapshotById } from './iceberg-metadata';
import { type LakeLocation, localTableFolder } from './lake-location';

export interface RepairOutcome {
  manifestLists: number;
  manifests: number;
}

function partitionFieldIds(metadata: IcebergTableMetadata, specId: number): Map<string, number> {
  const spec = metadata['partition-specs'].find((s) => s['spec-id'] === specId);
  if (!spec) throw new Error(`partition spec ${specId} is not in the table metadata`);
  return new Map(spec.fields.map((f) => [f.name, f['field-id']]));
}

/** Manifest path → length in a manifest list already repaired; empty for one that is not. */
async function repairedLengths(listPath: string): Promise<Map<string, bigint>> {
  const list = await readAvroFile(listPath);
  if (!hasFieldIds(list.schema)) return new Map();
  return new Map(list.records.map((e) => [String(e.manifest_path), e.manifest_length as bigint]));
}

/** Rewrites one manifest with field ids when it has none; returns whether it did. */
async function repairManifest(
  path: string,
  metadata: IcebergTableMetadata,
  specId: number,
): Promise<boolean> {
  const manifest = await readAvroFile(path);
  if (hasFieldIds(manifest.schema)) return false;
  const schema = manifestEntrySchema(manifest.schema, partitionFieldIds(metadata, specId));
  await replaceFile(path, await encodeAvroFile({ ...manifest, schema }));
  return true;
}

/**
 * ClickHouse 26.7 writes manifest and manifest-list Avro schemas without the `field-id`
 * attributes the Iceberg spec requires, so readers that resolve fields by id (PyIceberg, DuckDB)
 * refuse its tables. This rewrites them in place with the spec's ids: the records' bytes are
 * unchanged (same structure, only the header's schema gains attributes), each file is replaced
 * by one rename, and a manifest list is rewritten after its manifests with their new lengths
 * (`manifest_length`). It walks back from the current snapshot through its ancestors and stops
 * at the first list already repaired — earlier ones were repaired by an earlier call — so it is
 * cheap after each commit and catches up after a crash between a commit and its repair.
 *
 * Runs under the table's lease, between commits (the one writer); ClickHouse reads the repaired
 * files as before and copies their entries, with the new lengths, into its next manifest list,
 * which the next repair annotates in turn. Local tables only: on S3 the files are the server's.
 */
export async function repairIcebergTable(folder: string): Promise<RepairOutcome> {
  const { metadata } = await latestMetadata(folder);
  const outcome: RepairOutcome = { manifestLists: 0, manifests: 0 };
  let snapshot = snapshotById(metadata, metadata['current-snapshot-id']);
  while (snapshot) {
    const listPath = snapshot['manifest-list'];
    const list = await readAvroFile(listPath);
    if (hasFieldIds(list.schema)) break;
    const parent = snapshotById(metadata, snapshot['parent-snapshot-id']);
    // Manifests the parent's repaired list holds were repaired with it: only new ones are read.
    const known = parent ? await repairedLengths(parent['manifest-list']) : new Map();
    for (const entry of list.records) {
      const path = String(entry.manifest_path);
      const length = known.get(path);
      if (length !== undefined) {
        entry.manifest_length = length;
        continue;
      }
      if (await repairManifest(path, metadata, Number(entry.partition_spec_id))) {
        outcome.manifests += 1;
      }
      entry.manifest_length = BigInt((await stat(path)).size);
    }
    const schema = manifestListSchema(list.schema);
    await replaceFile(listPath, await encodeAvroFile({ ...list, schema }));
    outcome.manifestLists += 1;
    snapshot = parent;
  }
  return outcome;
}

/**
 * Repairs a lake table after a commit this process made (see `repairIcebergTable`); a no-op on
 * S3, where the ClickHouse server owns the files.
 */
export async function repairLakeTable(
  location: LakeLocation,
  table: string,
): Promise<RepairOutcome | undefined> {
  const folder = localTableFolder(location, table);
  return folder === undefined ? undefined : repairIcebergTable(folder);
}
