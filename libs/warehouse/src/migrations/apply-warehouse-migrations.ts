import type { ClickHouseClient } from '@clickhouse/client';
import { MIGRATIONS_TABLE, migrationsTableDdl } from './migrations-table';
import {
  MIGRATION_VERSION,
  migrationChecksum,
  type WarehouseMigration,
} from './warehouse-migration';
import { WarehouseMigrationError } from './warehouse-migration-error';

export interface ApplyMigrationsOptions {
  /** Cluster mode: the migrations table is created ON CLUSTER and replicated to every node. */
  cluster?: string;
}

/**
 * Applies, in the given order, every migration whose version is not yet recorded in
 * `warehouse_migrations`, recording each after its last statement succeeded; returns the versions
 * it applied (none on a second run). Refuses before running anything when an applied version's
 * statements changed (its checksum differs) — applied migrations are never edited, a change is a
 * new version. A statement that fails stops the run with the version and statement named; its
 * version stays unrecorded, so the next run starts it again (write statements that can rerun:
 * IF [NOT] EXISTS).
 *
 * One process at a time: ClickHouse has no lock to take, so concurrent runs may both apply a
 * version. The speed layer applies at start-up before it consumes.
 */
export async function applyWarehouseMigrations(
  client: ClickHouseClient,
  migrations: readonly WarehouseMigration[],
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  checkInput(migrations);
  await client.command({ query: migrationsTableDdl(options.cluster) });
  const applied = await appliedChecksums(client);
  const changed = migrations.flatMap((m) => {
    const stored = applied.get(m.version);
    const checksum = migrationChecksum(m.statements);
    return stored === undefined || stored === checksum
      ? []
      : [{ version: m.version, stored, checksum }];
  });
  if (changed.length > 0) {
    throw new WarehouseMigrationError(
      [
        `Applied warehouse migrations were changed (${changed.length}); add a new version instead of editing one:`,
        ...changed.map(
          (c) =>
            `- '${c.version}' was applied with checksum ${c.stored}, its statements now hash to ${c.checksum}`,
        ),
      ].join('\n'),
      changed.map((c) => c.version),
    );
  }
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await runStatements(client, migration);
    await client.command({
      query: `INSERT INTO ${MIGRATIONS_TABLE} (version, checksum, applied_at)
              VALUES ({version:String}, {checksum:String}, now64(3, 'UTC'))`,
      query_params: {
        version: migration.version,
        checksum: migrationChecksum(migration.statements),
      },
    });
    done.push(migration.version);
  }
  return done;
}

/** Applied versions with their checksums. */
export async function appliedChecksums(client: ClickHouseClient): Promise<Map<string, string>> {
  const result = await client.query({
    query: `SELECT version, any(checksum) AS checksum FROM ${MIGRATIONS_TABLE} GROUP BY version`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: string; checksum: string }>();
  return new Map(rows.map((r) => [r.version, r.checksum]));
}

async function runStatements(
  client: ClickHouseClient,
  migration: WarehouseMigration,
): Promise<void> {
  const total = migration.statements.length;
  for (const [index, statement] of migration.statements.entries()) {
    try {
      await client.command({ query: statement });
    } catch (error) {
      throw new WarehouseMigrationError(
        `Warehouse migration '${migration.version}' failed at statement ${index + 1} of ${total}: ${(error as Error).message}`,
        [migration.version],
        { cause: error },
      );
    }
  }
}

function checkInput(migrations: readonly WarehouseMigration[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const m of migrations) {
    if (!MIGRATION_VERSION.test(m.version)) {
      problems.push(`version '${m.version}' must match ${MIGRATION_VERSION.source}`);
    } else if (seen.has(m.version)) {
      problems.push(`version '${m.version}' is listed twice`);
    }
    seen.add(m.version);
    if (m.statements.length === 0 || m.statements.some((s) => s.trim() === '')) {
      problems.push(`version '${m.version}' needs at least one statement, none empty`);
    }
  }
  if (problems.length > 0) {
    throw new WarehouseMigrationError(`Invalid warehouse migrations: ${problems.join('; ')}`, [
      ...seen,
    ]);
  }
}
