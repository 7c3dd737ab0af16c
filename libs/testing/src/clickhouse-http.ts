import { Session } from 'chdb';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** URL parameters of ClickHouse's HTTP interface that are not settings. */
const NOT_SETTINGS = new Set([
  'query',
  'query_id',
  'database',
  'session_id',
  'role',
  'default_format',
]);
/** Settings only an HTTP server understands; chDB has no HTTP layer to apply them to. */
const HTTP_ONLY =
  /^(enable_http_compression|send_progress_in_http_headers|http_.*|wait_end_of_query|cancel_http_readonly_queries_on_client_close)$/;

export interface ClickHouseHttp {
  /** `http://127.0.0.1:<port>`, for `TRIBUTARY_CLICKHOUSE_URL`. */
  readonly url: string;
  readonly port: number;
  /** Requests answered so far (ping included). */
  readonly requests: number;
  /** Stops answering: the port is closed and open connections are cut, like a server going away. */
  stop(): Promise<void>;
  /** Listens again on the same port, on the same data. */
  restart(): Promise<void>;
  /** Stops and closes the chDB session. */
  close(): Promise<void>;
}

/**
 * Test-only: the part of ClickHouse's HTTP interface that `@clickhouse/client` uses (queries in
 * the body or `query` + data, settings and `param_*` in the URL, `/ping`, errors as
 * `Code: … DB::Exception`), served from a chDB session on a data folder. There is no ClickHouse
 * server binary on the test machines; this lets a test take "the server" away and bring it back
 * while the same data stays.
 */
export async function startClickHouseHttp(path: string, port = 0): Promise<ClickHouseHttp> {
  const session = new Session(path);
  let server: Server | undefined;
  let requests = 0;
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests += 1;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('Ok.\n');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const query = url.searchParams.get('query');
    const text = body.toString('utf8');
    const sql = query === null ? text : text.length > 0 ? `${query}\n${text}` : query;
    const statements: string[] = [];
    for (const [key, value] of url.searchParams) {
      if (key.startsWith('param_')) statements.push(`SET ${key} = ${quote(value)}`);
      else if (!NOT_SETTINGS.has(key) && !HTTP_ONLY.test(key))
        statements.push(`SET ${key} = ${/^-?\d+(\.\d+)?$/.test(value) ? value : quote(value)}`);
    }
    const queryId = url.searchParams.get('query_id') ?? '';
    try {
      const result = await session.queryAsync([...statements, sql].join(';\n'), {
        format: url.searchParams.get('default_format') ?? 'TabSeparated',
      });
      res.writeHead(200, {
        'x-clickhouse-query-id': queryId,
        'x-clickhouse-summary': JSON.stringify({
          read_rows: String(result.rowsRead),
          read_bytes: String(result.bytesRead),
          written_rows: '0',
        }),
      });
      res.end(Buffer.from(result.bytes()));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /Code: (\d+)/.exec(message)?.[1] ?? '1000';
      res
        .writeHead(500, { 'x-clickhouse-exception-code': code, 'x-clickhouse-query-id': queryId })
        .end(
          message.includes('DB::Exception') ? message : `Code: ${code}. DB::Exception: ${message}`,
        );
    }
  };

  const listen = (on: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          res.destroy(error instanceof Error ? error : new Error(String(error)));
        });
      });
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(on, '127.0.0.1', () => resolve(s));
    });

  server = await listen(port);
  const bound = (server.address() as { port: number }).port;
  const stop = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    get requests() {
      return requests;
    },
    stop,
    restart: async () => {
      if (!server) server = await listen(bound);
    },
    close: async () => {
      await stop();
      session.close();
    },
  };
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
