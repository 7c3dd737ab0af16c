import type { ClickHouseClient } from '@clickhouse/client';
import { compactLakeTable, type CompactionOutcome } from './compaction';
import { ICEBERG_WRITE } from './iceberg';
import { type LakeLocation, localTableFolder } from './lake-location';

export interface MaintenanceOutcome {
  table: string;
  snapshotsBefore: number;
  snapshotsAfter: number;
  expiredManifestLists: number;
  removedOrphanFiles: number;
  /** Present when compaction ran (a local lake and `compaction` given). */
  compaction?: CompactionOutcome;
}

export interface MaintenanceOptions {
  retainMs: number;
  orphanAgeMs: number;
  now?: Date;
  /**
   * Compacts small data files first (see `compactLakeTable`): `table` is the lake's name of the
   * table (`events`, `view_<view>`). Skipped for a lake on S3 (the files are the server's).
   */
  compaction?: { location: LakeLocation; table: string; targetSizeBytes: number };
}

/** `YYYY-MM-DD hh:mm:ss` in UTC, as ClickHouse's EXECUTE procedures take a time. */
function utc(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

async function snapshotCount(client: ClickHouseClient, table: string): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM system.iceberg_history
            WHERE database = currentDatabase() AND table = {table:String}`,
    query_params: { table },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string }>();
  return Number(row?.n ?? 0);
}

function metric(
  rows: Array<{ metric_name?: string; metric_value?: string }>,
  name: string,
): number {
  return Number(rows.find((r) => r.metric_name === name)?.metric_value ?? 0);
}

/**
 * Lake upkeep for one table (its ClickHouse name), under the table's lease: with `compaction`,
 * small data files are first rewritten into a `replace` snapshot (our own commit — ClickHouse's
 * `OPTIMIZE TABLE` does not compact these tables on 26.7; see docs/architecture.md §7); then,
 * through ClickHouse's Iceberg procedures, snapshots older than `retainMs` are expired (the current
 * one always stays; time travel reaches back `retainMs`) and files no snapshot references and
 * older than `orphanAgeMs` (so a commit in flight is never touched) are deleted — the files a
 * compaction replaced go once the snapshots that read them have expired.
 */
export async function maintainLakeTable(
  client: ClickHouseClient,
  table: string,
  options: MaintenanceOptions,
): Promise<MaintenanceOutcome> {
  if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new Error(`invalid table name '${table}'`);
  const now = options.now ?? new Date();
  const snapshotsBefore = await snapshotCount(client, table);
  const compact = options.compaction;
  const folder = compact && localTableFolder(compact.location, compact.table);
  const compaction =
    compact && folder
      ? await compactLakeTable(client, table, folder, { targetSizeBytes: compact.targetSizeBytes })
      : undefined;
  const expired = await client.query({
    query: `ALTER TABLE ${table} EXECUTE expire_snapshots({older:String})`,
    query_params: { older: utc(new Date(now.getTime() - options.retainMs)) },
    format: 'JSONEachRow',
    clickhouse_settings: {
      ...ICEBERG_WRITE,
      allow_experimental_expire_snapshots: 1,
      iceberg_expire_default_min_snapshots_to_keep: 1,
      iceberg_expire_default_max_snapshot_age_ms: options.retainMs,
    },
  });
  const expiredRows = await expired.json<{ metric_name?: string; metric_value?: string }>();
  const orphans = await client.query({
    query: `ALTER TABLE ${table} EXECUTE remove_orphan_files({older:String})`,
    query_params: { older: utc(new Date(now.getTime() - options.orphanAgeMs)) },
    format: 'JSONEachRow',
    clickhouse_settings: { ...ICEBERG_WRITE, allow_iceberg_remove_orphan_files: 1 },
  });
  const orphanRows = await orphans.json<{ metric_name?: string; metric_value?: string }>();
  return {
    table,
    snapshotsBefore,
    snapshotsAfter: await snapshotCount(client, table),
    expiredManifestLists: metric(expiredRows, 'deleted_manifest_lists_count'),
    removedOrphanFiles: metric(orphanRows, 'deleted_data_files_count'),
    ...(compaction ? { compaction } : {}),
  };
}
