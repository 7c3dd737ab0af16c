/** How a connector's runs are retried when the source cannot be reached. */
export interface RetrySettings {
  /** Attempts of one run, the first included. */
  attempts: number;
  /** Backoff before the second attempt; each further one doubles it, with full jitter. */
  backoffMs: number;
  maxBackoffMs: number;
}

/** Where the current state of a table with a primary key is kept in the lake. */
export interface EntityTableSettings {
  /** Lake table name (Iceberg folder `entity_<table>`, ClickHouse table `lake_entity_<table>`). */
  table: string;
  /** Column name → ClickHouse type of the entity table, in order; the primary key included. */
  columns: ReadonlyArray<readonly [string, string]>;
}

/** A table or query of a Postgres database, pulled incrementally by a watermark column. */
export interface PostgresSourceSettings {
  kind: 'postgres';
  /** Name of the environment variable holding the connection URL (secrets stay out of YAML). */
  urlEnv: string;
  /** `schema.table` or `table`; or `query` (a SELECT, wrapped as a subquery). */
  table?: string;
  query?: string;
  watermark: {
    column: string;
    type: 'timestamp' | 'integer';
    /** Re-read this far below the last watermark, for rows that commit late (ms, or a count). */
    overlap: number;
  };
  /** Orders rows that share a watermark value, so paging neither skips nor repeats them. */
  tieBreaker: string;
  pageSize: number;
}

/** Files dropped in a folder or under an S3 prefix, each processed once. */
export interface FilesSourceSettings {
  kind: 'files';
  /** A local folder, or `s3://bucket/prefix` (read with `TRIBUTARY_CONNECTORS_S3_*`). */
  location: string;
  format: 'csv' | 'jsonl' | 'parquet';
  /** Glob-like file name pattern: `*` matches any characters but `/`. */
  pattern: string;
  csv: { delimiter: string };
}

export interface ConnectorConfig {
  name: string;
  description?: string;
  /** Event type of every row (its schema must be registered). */
  eventType: string;
  /** The events' `_source`; defaults to `connector:<name>`. */
  source: string;
  /** Cron (UTC) of scheduled runs; none: run only from the CLI. */
  schedule?: string;
  timeoutMs: number;
  retry: RetrySettings;
  /** A run is stale when the last successful one is older than this (freshness SLA). */
  freshnessSlaMs?: number;
  /** Columns identifying a row; required for an entity table. */
  primaryKey: readonly string[];
  /** Column whose value versions a row (part of its event_id); default: the watermark column. */
  versionColumn?: string;
  /** Column of the event time; default: the watermark column when it is a timestamp. */
  occurredAt?: string;
  /** Column of the events' subject_id, if any. */
  subject?: string;
  entity?: EntityTableSettings;
  pull: PostgresSourceSettings | FilesSourceSettings;
  /** The file the config came from, for messages. */
  file: string;
}
