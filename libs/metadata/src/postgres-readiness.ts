import type { DataSource } from 'typeorm';

/** Readiness probe for the metadata store: a round trip through the pool. */
export function postgresReadiness(dataSource: DataSource) {
  return {
    name: 'postgres',
    async check(): Promise<void> {
      if (!dataSource.isInitialized) await dataSource.initialize();
      await dataSource.query('SELECT 1');
    },
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
