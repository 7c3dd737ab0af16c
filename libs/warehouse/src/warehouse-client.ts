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
 * chdb applies a query's `clickhouse_settings` as `SET …` statements on its connection, so they
 * would stay in force for later queries (a pinned `iceberg_snapshot_id`, an
 * `insert_deduplication_token`) and leak into queries running at the same time. A server scopes
 * them to one request; to get the same here, calls run on a small pool of chdb connections to the
 * same folder (they share data, each has its own settings), one call per connection at a time,
 * and each call first resets to DEFAULT what an earlier call on that connection changed and this
 * one does not state itself.
 */
function chdbConnection(path: string, baseline: readonly string[]): ClientConnection {
  const pool = new ChdbPool(path, baseline, 4);
  const first = pool.primary;
  // Delegate everything else to one connection (methods bound: chdb's connection keeps private
  // fields), then route the four calls that carry settings through the pool.
  const delegate: Record<string, unknown> = {};
  const prototype = Object.getPrototypeOf(first) as object;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    if (name === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (descriptor?.get) {
      Object.defineProperty(delegate, name, {
        get: () => (first as unknown as Record<string, unknown>)[name],
      });
    } else if (typeof descriptor?.value === 'function') {
      delegate[name] = (descriptor.value as (...args: unknown[]) => unknown).bind(first);
    }
  }
  return Object.assign(delegate as unknown as ClientConnection, {
    query: (params: Parameters<ClientConnection['query']>[0]) =>
      pool.run(params, (c, p) => c.query(p)),
    command: (params: Parameters<ClientConnection['command']>[0]) =>
      pool.run(params, (c, p) => c.command(p)),
    exec: (params: Parameters<ClientConnection['exec']>[0]) =>
      pool.run(params, (c, p) => c.exec(p)),
    insert: (params: Parameters<ClientConnection['insert']>[0]) =>
      pool.run(params, (c, p) => c.insert(p)),
    close: () => pool.close(),
  });
}

interface PooledConnection {
  connection: ClientConnection;
  /** Settings an earlier call changed on this connection. */
  changed: Set<string>;
}

type WithSettings = { query: string; clickhouse_settings?: ClickHouseSettings };

class ChdbPool {
  private readonly all: PooledConnection[] = [];
  private readonly idle: PooledConnection[] = [];
  private readonly waiting: Array<(member: PooledConnection) => void> = [];
  readonly primary: ClientConnection;

  constructor(
    private readonly path: string,
    private readonly baseline: readonly string[],
    private readonly size: number,
  ) {
    const member = this.open();
    this.idle.push(member);
    this.primary = member.connection;
  }

  private open(): PooledConnection {
    const member = {
      connection: createChdbConnection({ path: this.path }) as unknown as ClientConnection,
      changed: new Set<string>(),
    };
    this.all.push(member);
    return member;
  }

  async run<P extends WithSettings, R>(
    params: P,
    call: (connection: ClientConnection, params: P) => Promise<R>,
  ): Promise<R> {
    const member = await this.acquire();
    try {
      return await call(member.connection, this.scoped(member, params));
    } finally {
      this.release(member);
    }
  }

  private scoped<P extends WithSettings>(member: PooledConnection, params: P): P {
    const given = Object.keys(params.clickhouse_settings ?? {});
    const stale = [...member.changed].filter((key) => !given.includes(key));
    for (const key of given) if (!this.baseline.includes(key)) member.changed.add(key);
    if (stale.length === 0) return params;
    for (const key of stale) member.changed.delete(key);
    const reset = stale.map((key) => `${key} = DEFAULT`).join(', ');
    return { ...params, query: `SET ${reset}; ${params.query}` };
  }

  private acquire(): Promise<PooledConnection> {
    const member = this.idle.pop() ?? (this.all.length < this.size ? this.open() : undefined);
    if (member) return Promise.resolve(member);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(member: PooledConnection): void {
    const next = this.waiting.shift();
    if (next) next(member);
    else this.idle.push(member);
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((member) => member.connection.close()));
  }
}
