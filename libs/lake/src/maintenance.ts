import type { ClickHouseClient } from '@clickhouse/client';
import { ICEBERG_WRITE } from './iceberg';

export interface MaintenanceOutcome {
  table: string;
  snapshotsBefore: number;
  snapshotsAfter: number;
  expiredManifestLists: number;
  removedOrphanFiles: number;
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
 * Lake upkeep through ClickHouse's Iceberg procedures, for one table (its ClickHouse name):
 * snapshots older than `retainMs` are expired (the current one always stays; time travel reaches
 * back `retainMs`), then files no snapshot references and older than `orphanAgeMs` (so a commit in
 * flight is never touched) are deleted. Compaction is not run: `OPTIMIZE TABLE` leaves the files
 * of these tables as they are on ClickHouse 26.7 (measured; see docs/architecture.md §7).
 */
export async function maintainLakeTable(
  client: ClickHouseClient,
  table: string,
  options: { retainMs: number; orphanAgeMs: number; now?: Date },
): Promise<MaintenanceOutcome> {
  if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new Error(`invalid table name '${table}'`);
  const now = options.now ?? new Date();
  const snapshotsBefore = await snapshotCount(client, table);
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
  };
}
