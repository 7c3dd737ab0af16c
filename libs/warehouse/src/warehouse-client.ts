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
      return createClient({
        ...common,
        connection: chdbConnection(target.path, Object.keys(common.clickhouse_settings)),
      });
  }
}

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/**
 * chdb types its connection against `@clickhouse/client-common`, while `@clickhouse/client` ships
 * its own copy of those types; the shapes agree at runtime (the warehouse integration test drives
 * every call through it) but not nominally, so the one cast lives here.
 *
 * chdb applies a query's `clickhouse_settings` as `SET …` statements on its session, so without
 * care they would stay in force for every later query (a pinned `iceberg_snapshot_id`, an
 * `insert_deduplication_token`). A server scopes them to the one request; to get the same here,
 * each call first resets to DEFAULT every setting an earlier call changed and this one does not
 * state itself.
 */
function chdbConnection(path: string, baseline: readonly string[]): ClientConnection {
  const connection = createChdbConnection({ path }) as unknown as ClientConnection;
  const changed = new Set<string>();
  const scoped = <P extends { query: string; clickhouse_settings?: ClickHouseSettings }>(
    params: P,
  ): P => {
    const given = Object.keys(params.clickhouse_settings ?? {});
    const stale = [...changed].filter((key) => !given.includes(key));
    for (const key of given) if (!baseline.includes(key)) changed.add(key);
    if (stale.length === 0) return params;
    for (const key of stale) changed.delete(key);
    const reset = stale.map((key) => `${key} = DEFAULT`).join(', ');
    return { ...params, query: `SET ${reset}; ${params.query}` };
  };
  // Delegate everything (methods bound: chdb's connection keeps private fields), then scope
  // the four calls that carry settings.
  const delegate: Record<string, unknown> = {};
  const prototype = Object.getPrototypeOf(connection) as object;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    if (name === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (descriptor?.get) {
      Object.defineProperty(delegate, name, {
        get: () => (connection as unknown as Record<string, unknown>)[name],
      });
    } else if (typeof descriptor?.value === 'function') {
      delegate[name] = (descriptor.value as (...args: unknown[]) => unknown).bind(connection);
    }
  }
  return Object.assign(delegate as unknown as ClientConnection, {
    query: (params: Parameters<ClientConnection['query']>[0]) => connection.query(scoped(params)),
    command: (params: Parameters<ClientConnection['command']>[0]) =>
      connection.command(scoped(params)),
    exec: (params: Parameters<ClientConnection['exec']>[0]) => connection.exec(scoped(params)),
    insert: (params: Parameters<ClientConnection['insert']>[0]) =>
      connection.insert(scoped(params)),
  });
}
