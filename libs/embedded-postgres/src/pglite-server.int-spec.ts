import { join } from 'node:path';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { spawnService, tempDir, type TempDir } from '@tributary/testing';
import { Client, Pool } from 'pg';
import { startEmbeddedPostgres } from './pglite-server';

/**
 * The server runs in its own process (the built `serve.js`): PGlite loads its WebAssembly with a
 * dynamic import, which jest's module sandbox does not allow, and a process is how it runs anyway.
 */
async function serve(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawnService(join(__dirname, '..', 'dist', 'serve.js'), {}, [dataDir]);
  const line = await child.waitForLine((l) => typeof l.url === 'string', 60_000);
  return {
    url: line.url as string,
    stop: async () => {
      child.child.kill('SIGTERM');
      expect((await child.exited).code).toBe(0);
    },
  };
}

describe(startEmbeddedPostgres.name, () => {
  let folder: TempDir;
  let server: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    folder = tempDir('pglite');
    server = await serve(folder.path);
  });

  afterAll(async () => {
    await server.stop();
    folder.remove();
  });

  it('keeps parameterized queries of concurrent connections apart', async () => {
    const pool = new Pool({ connectionString: server.url, max: 8 });
    try {
      const values = Array.from({ length: 200 }, (_, i) => i);
      const answers = await Promise.all(
        values.map((i) =>
          pool.query<{ v: number; s: string }>('SELECT $1::int AS v, $2::text AS s', [i, `s${i}`]),
        ),
      );
      expect(answers.map((a) => a.rows[0])).toEqual(values.map((i) => ({ v: i, s: `s${i}` })));
    } finally {
      await pool.end();
    }
  });

  it('runs transactions of different connections one after the other', async () => {
    const pool = new Pool({ connectionString: server.url, max: 6 });
    try {
      await pool.query('CREATE TABLE tx_test (id int PRIMARY KEY, owner int NOT NULL)');
      const seenForeign: number[] = [];
      await Promise.all(
        Array.from({ length: 30 }, async (_, k) => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('INSERT INTO tx_test VALUES ($1, $1)', [k]);
            // Yield to the other connections: their statements must wait for this transaction.
            await new Promise((resolve) => setTimeout(resolve, 2));
            const rows = await client.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM tx_test WHERE owner <> $1 AND id > 1000',
              [k],
            );
            seenForeign.push(rows.rows[0].n);
            await client.query('UPDATE tx_test SET id = id + 1000 WHERE id = $1', [k]);
            await client.query(k % 3 === 0 ? 'ROLLBACK' : 'COMMIT');
          } finally {
            client.release();
          }
        }),
      );
      const committed = await pool.query<{ id: number }>('SELECT id FROM tx_test ORDER BY id');
      const expected = Array.from({ length: 30 }, (_, k) => k)
        .filter((k) => k % 3 !== 0)
        .map((k) => k + 1000);
      expect(committed.rows.map((r) => r.id)).toEqual(expected);
      // Serial transactions: a later one sees what earlier ones committed, never half of one.
      expect(Math.max(...seenForeign)).toBeLessThanOrEqual(expected.length);
    } finally {
      await pool.end();
    }
  });

  it('rolls back the open transaction of a connection that goes away', async () => {
    const setup = new Client({ connectionString: server.url });
    await setup.connect();
    await setup.query('CREATE TABLE orphan_test (id int)');
    const doomed = new Client({ connectionString: server.url });
    await doomed.connect();
    doomed.on('error', () => undefined);
    await doomed.query('BEGIN');
    await doomed.query('INSERT INTO orphan_test VALUES (1)');
    // The other connection waits for that transaction; dropping the socket must free it.
    const waiting = setup.query<{ n: number }>('SELECT count(*)::int AS n FROM orphan_test');
    (
      doomed as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();
    expect((await waiting).rows[0].n).toBe(0);
    await setup.query('INSERT INTO orphan_test VALUES (2)');
    expect((await setup.query('SELECT id FROM orphan_test')).rows).toEqual([{ id: 2 }]);
    await setup.end();
  });

  it('reports SQL errors to the client and keeps serving', async () => {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    await expect(client.query('SELECT 1/0')).rejects.toThrow('division by zero');
    await expect(client.query('SELECT $1::text AS t', ["it's; --"])).resolves.toMatchObject({
      rows: [{ t: "it's; --" }],
    });
    await client.end();
  });

  it('applies the metadata migrations through TypeORM and keeps them across a restart', async () => {
    const own = tempDir('pglite-restart');
    try {
      let embedded = await serve(own.path);
      let source = createMetadataDataSource({ url: embedded.url });
      await source.initialize();
      const applied = await migrateMetadata(source);
      expect(applied.length).toBeGreaterThan(3);
      await source.query("INSERT INTO sources (name) VALUES ('web')");
      await source.destroy();
      await embedded.stop();

      embedded = await serve(own.path);
      source = createMetadataDataSource({ url: embedded.url });
      await source.initialize();
      expect(await migrateMetadata(source)).toEqual([]);
      expect(await source.query('SELECT name FROM sources')).toEqual([{ name: 'web' }]);
      await source.destroy();
      await embedded.stop();
    } finally {
      own.remove();
    }
  });
});
