#!/usr/bin/env node
// Serves an embedded Postgres (PGlite) data folder on 127.0.0.1 until interrupted:
// `node libs/embedded-postgres/dist/serve.js <folder> [port]`. Prints one JSON line with the URL,
// so psql or any Postgres client can inspect the embedded profile's metadata while the pipeline is
// stopped (the pipeline serves the same folder itself while it runs).
import { startEmbeddedPostgres } from './pglite-server';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir) {
    process.stderr.write('usage: serve.js <data folder> [port]\n');
    process.exit(2);
  }
  const server = await startEmbeddedPostgres({
    dataDir,
    port: port ? Number(port) : 0,
    onError: (error) => process.stderr.write(`embedded-postgres: ${String(error)}\n`),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `embedded-postgres: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
