/** Where applied migrations are recorded: one row per version. */
export const MIGRATIONS_TABLE = 'warehouse_migrations';

const CLUSTER_NAME = /^(\{cluster\}|[A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * DDL of the `warehouse_migrations` table (version, checksum, applied_at). In cluster mode every
 * replica of every shard shares one replicated copy (no `{shard}` in its path), so any node a
 * service connects to knows what was applied.
 */
export function migrationsTableDdl(cluster?: string): string {
  if (cluster !== undefined && !CLUSTER_NAME.test(cluster)) {
    throw new Error(`cluster name '${cluster}' must be {cluster} or [A-Za-z_][A-Za-z0-9_]*`);
  }
  const engine =
    cluster === undefined
      ? 'MergeTree'
      : `ReplicatedMergeTree('/clickhouse/tables/{database}/${MIGRATIONS_TABLE}', '{replica}')`;
  return [
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE}${cluster === undefined ? '' : ` ON CLUSTER '${cluster}'`}`,
    '(',
    '  version String,',
    '  checksum String,',
    "  applied_at DateTime64(3, 'UTC')",
    ')',
    `ENGINE = ${engine}`,
    'ORDER BY version',
  ].join('\n');
}
