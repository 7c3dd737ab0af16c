import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './service-process';
import { waitFor } from './wait-for';

export interface S3Server {
  /** `http://127.0.0.1:<port>`: an S3-compatible endpoint (path-style requests). */
  readonly endpoint: string;
  readonly region: string;
  /** Any credentials are accepted; these are what the tests sign with. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

/**
 * Test-only: moto's S3-compatible server on a free port, installed into a virtualenv under
 * `.cache/` on first use (scripts/moto-server.sh; the first start may take a minute). Each test
 * file owns its server and creates its buckets; data lives in the process's memory.
 */
export async function startS3Server(timeoutMs = 240_000): Promise<S3Server> {
  const port = await freePort();
  const child = spawn(
    'bash',
    [join(process.cwd(), 'scripts', 'moto-server.sh'), '-H', '127.0.0.1', '-p', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (!running) throw new Error(`moto server exited: ${stderr}`);
        const response = await fetch(`${endpoint}/moto-api/`);
        if (!response.ok) throw new Error(`moto server answered ${response.status}`);
      },
      { timeoutMs, intervalMs: 250 },
    );
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    stop: async () => {
      if (running) child.kill('SIGTERM');
      await exited;
    },
  };
}
