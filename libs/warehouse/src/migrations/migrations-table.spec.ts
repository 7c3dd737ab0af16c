import { migrationsTableDdl } from './migrations-table';

describe(migrationsTableDdl.name, () => {
  it('records version, checksum and applied_at in a MergeTree on a single node', () => {
    expect(migrationsTableDdl()).toBe(
      [
        'CREATE TABLE IF NOT EXISTS warehouse_migrations',
        '(',
        '  version String,',
        '  checksum String,',
        "  applied_at DateTime64(3, 'UTC')",
        ')',
        'ENGINE = MergeTree',
        'ORDER BY version',
      ].join('\n'),
    );
  });

  it('shares one replicated copy across the whole cluster in cluster mode', () => {
    const ddl = migrationsTableDdl('{cluster}');
    expect(ddl).toMatch(
      /^CREATE TABLE IF NOT EXISTS warehouse_migrations ON CLUSTER '\{cluster\}'\n/,
    );
    expect(ddl).toContain(
      "\nENGINE = ReplicatedMergeTree('/clickhouse/tables/{database}/warehouse_migrations', '{replica}')\n",
    );
  });

  it('refuses a cluster name outside the allow-list', () => {
    expect(() => migrationsTableDdl("c' --")).toThrow("cluster name 'c' --' must be {cluster}");
  });
});
