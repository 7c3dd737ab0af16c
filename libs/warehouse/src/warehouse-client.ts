import {
  type ClickHouseClient,
  type ClickHouseSettings,
  createClient,
  type ClickHouseClientConfigOptions,
} from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

/**
 * Where the warehouse lives: a ClickHouse server (or cluster) over HTTP, or chDB — the ClickHouse
 * engine in-process — on a local data folder. Both are driven by the same `@clickhouse/client`
 * code, so SQL and result handling never branch on the profile.
 */
export type WarehouseTarget =
  | { kind: 'http'; url: string; username?: string; password?: string; database?: string }
  | { kind: 'embedded'; path: string };

export interface WarehouseClientOptions {
  /** Shown in server-side query logs (`system.query_log.http_user_agent`). */
  application?: string;
  settings?: ClickHouseSettings;
}

export function createWarehouseClient(
  target: WarehouseTarget,
  options: WarehouseClientOptions = {},
): ClickHouseClient {
  const common = {
    application: options.application ?? 'tributary',
    // chDB prints 64-bit integers as bare JSON numbers, a server quotes them; pin the server's
    // choice so results have one shape everywhere (and counts past 2^53 stay exact).
    clickhouse_settings: {
      output_format_json_quote_64bit_integers: 1 as const,
      ...options.settings,
    },
  };
  switch (target.kind) {
    case 'http':
      return createClient({
        ...common,
        url: target.url,
        username: target.username,
        password: target.password,
        database: target.database,
      });
    case 'embedded':
      return createClient({ ...common, connection: chdbConnection(target.path) });
  }
}

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/**
 * chdb types its connection against `@clickhouse/client-common`, while `@clickhouse/client` ships
 * its own copy of those types; the shapes agree at runtime (the warehouse integration test drives
 * every call through it) but not nominally, so the one cast lives here.
 */
function chdbConnection(path: string): ClientConnection {
  return createChdbConnection({ path }) as unknown as ClientConnection;
}
