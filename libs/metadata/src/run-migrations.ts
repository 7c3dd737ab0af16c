import { type DataSource, type Migration, MigrationExecutor } from 'typeorm';

/** Any fixed number: the advisory lock every Tributary process takes around migrations. */
const MIGRATION_LOCK = 7_151_405_224;

/**
 * Applies pending migrations while holding a Postgres advisory lock, so several services (or
 * replicas) starting at once migrate one after the other instead of racing on the same DDL. The
 * migrations run on the connection that holds the lock (a pool of one suffices). Returns what
 * this call applied — usually nothing, when another process got there first.
 */
export async function migrateMetadata(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
