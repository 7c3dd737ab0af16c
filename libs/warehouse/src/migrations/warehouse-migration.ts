import { createHash } from 'node:crypto';

/** A versioned step of ClickHouse DDL: statements run in order, once per warehouse. */
export interface WarehouseMigration {
  /** Unique and stable: `0001_name`, or `<object>@<content hash>` for generated DDL. */
  readonly version: string;
  readonly statements: readonly string[];
}

/** Versions are stored and printed, never spliced into SQL; still, keep them plain. */
export const MIGRATION_VERSION = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/;

/** sha256 (hex) of a migration's statements: what tells an applied migration was edited. */
export function migrationChecksum(statements: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(statements)).digest('hex');
}
