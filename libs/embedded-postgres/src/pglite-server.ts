import { mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';

export interface EmbeddedPostgresOptions {
  /** Folder of the database files; created on first start, reopened later. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one (default). */
  port?: number;
  /** Called once per unexpected protocol failure (a connection is closed after it). */
  onError?: (error: unknown) => void;
}

export interface EmbeddedPostgres {
  /** `postgres://…` URL for any Postgres client (pg, TypeORM) of this process or another. */
  readonly url: string;
  readonly port: number;
  /** Closes every connection (open transactions roll back) and the database. */
  stop(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/**
 * PGlite (Postgres compiled to WebAssembly, one backend, in this process) served over the
 * Postgres wire protocol, so the embedded profile talks to it with the same `pg` driver, TypeORM
 * data sources and migrations as the distributed profile talks to a real server.
 *
 * PGlite has one session; clients open several connections. This server multiplexes them with two
 * rules that keep each connection's view consistent:
 *
 * - A connection's messages are forwarded in units that end at Sync or a simple Query, never
 *   message by message: an extended-protocol exchange (Parse/Bind/Execute/Sync) of one connection
 *   cannot interleave with another's and rebind its unnamed statement.
 * - While the session is inside a transaction, only the connection that opened it is served; the
 *   others wait. Transactions are therefore serial — stricter than Postgres, never weaker. A
 *   connection that goes away inside its transaction has it rolled back.
 *
 * What a single session cannot give: session-level state (advisory locks, SET, temp tables) is
 * shared by all connections, so `pg_advisory_lock` does not exclude another connection of this
 * server. Run migrations once before services start (the one-process pipeline does).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir });
  const multiplexer = new SessionMultiplexer(db, options.onError);
  const server = createServer((socket) => multiplexer.attach(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await closeServer(server, multiplexer);
      await multiplexer.drained();
      await db.close();
    },
  };
}

interface Unit {
  connection: Connection;
  bytes: Uint8Array;
}

interface Connection {
  socket: Socket;
  closed: boolean;
}

class SessionMultiplexer {
  private readonly queue: Unit[] = [];
  private readonly connections = new Set<Connection>();
  /** The connection whose transaction is open in the session, if any. */
  private owner: Connection | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly onError?: (error: unknown) => void,
  ) {}

  attach(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = { socket, closed: false };
    this.connections.add(connection);
    const reader = new MessageReader();
    socket.on('data', (chunk) => {
      try {
        for (const unit of reader.push(chunk)) {
          if (unit.kind === 'reply') socket.write(unit.bytes);
          else if (unit.kind === 'terminate') socket.end();
          else this.enqueue({ connection, bytes: unit.bytes });
        }
      } catch (error) {
        this.onError?.(error);
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.detach(connection));
  }

  closeAll(): void {
    for (const connection of this.connections) connection.socket.destroy();
  }

  /** Resolves once no unit is executing. */
  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  private enqueue(unit: Unit): void {
    this.queue.push(unit);
    this.pump();
  }

  private detach(connection: Connection): void {
    connection.closed = true;
    this.connections.delete(connection);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].connection === connection) this.queue.splice(i, 1);
    }
    // Its transaction can never finish: undo it so the others may run. (A unit of it still
    // executing finds the connection closed when it returns and rolls back then.)
    if (this.owner === connection && !this.running) this.rollbackOrphan();
  }

  private rollbackOrphan(): void {
    this.owner = undefined;
    this.running = this.db
      .exec('ROLLBACK')
      .then(
        () => undefined,
        (error: unknown) => this.onError?.(error),
      )
      .finally(() => {
        this.running = undefined;
        this.pump();
      });
  }

  private pump(): void {
    if (this.running) return;
    const index = this.owner ? this.queue.findIndex((u) => u.connection === this.owner) : 0;
    if (index < 0 || this.queue.length === 0) return;
    const [unit] = this.queue.splice(index, 1);
    this.running = this.execute(unit).finally(() => {
      this.running = undefined;
      if (this.owner?.closed) this.rollbackOrphan();
      else this.pump();
    });
  }

  private async execute(unit: Unit): Promise<void> {
    try {
      const reply = await this.db.execProtocolRaw(unit.bytes);
      this.owner = this.db.isInTransaction() ? unit.connection : undefined;
      if (!unit.connection.closed) unit.connection.socket.write(reply);
    } catch (error) {
      this.onError?.(error);
      this.owner = undefined;
      unit.connection.socket.destroy();
    }
  }
}

type ReadUnit =
  { kind: 'forward'; bytes: Uint8Array } | { kind: 'reply'; bytes: Buffer } | { kind: 'terminate' };

/**
 * Splits a connection's byte stream into forwardable units: the startup packet alone, then runs
 * of messages up to and including Sync (`S`), Query (`Q`) or Flush (`H`).
 */
class MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Buffer[] = [];

  *push(chunk: Buffer): Generator<ReadUnit> {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (length < 8 || length > 10_000) throw new Error(`bad startup packet length ${length}`);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const packet = this.take(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          yield { kind: 'reply', bytes: Buffer.from('N') }; // no TLS on a loopback socket
        } else if (code === CANCEL_REQUEST) {
          yield { kind: 'terminate' }; // cancelling is not supported: the query runs to its end
          return;
        } else {
          this.started = true;
          yield { kind: 'forward', bytes: new Uint8Array(packet) };
        }
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (length < 4) throw new Error(`bad message length ${length}`);
      if (this.buffer.length < length + 1) return;
      const type = String.fromCharCode(this.buffer[0]);
      const message = this.take(length + 1);
      if (type === 'X') {
        yield { kind: 'terminate' };
        return;
      }
      this.pending.push(message);
      if (type === 'S' || type === 'Q' || type === 'H') {
        const bytes = new Uint8Array(Buffer.concat(this.pending));
        this.pending = [];
        yield { kind: 'forward', bytes };
      }
    }
  }

  private take(length: number): Buffer {
    const bytes = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return bytes;
  }
}

async function closeServer(server: Server, multiplexer: SessionMultiplexer): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  multiplexer.closeAll();
  await closed;
}
