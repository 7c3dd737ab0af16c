import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { waitFor } from './wait-for';

export interface ServiceProcess {
  child: ChildProcess;
  /** JSON lines from stdout (logs) and stderr (boot failures), parsed, in order. */
  stdout: Array<Record<string, unknown>>;
  stderr: Array<Record<string, unknown>>;
  /** Resolves with the exit code and signal once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Polls the logged lines until one matches. */
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

/** A TCP port that was free a moment ago, for a child process that cannot be told to pick 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Runs a built service (`apps/<name>/dist/main.js`) as its own Node process — the way it runs in
 * production, with OpenTelemetry's require hooks, real signals and its own exit code.
 */
export function spawnService(
  mainJs: string,
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
): ServiceProcess {
  const child = spawn(process.execPath, [mainJs, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Array<Record<string, unknown>> = [];
  const stderr: Array<Record<string, unknown>> = [];
  const collect = (stream: NodeJS.ReadableStream, into: Array<Record<string, unknown>>) =>
    createInterface({ input: stream }).on('line', (line) => {
      try {
        into.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        into.push({ unparsed: line });
      }
    });
  collect(child.stdout as NodeJS.ReadableStream, stdout);
  collect(child.stderr as NodeJS.ReadableStream, stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout,
    stderr,
    exited,
    waitForLine: (match, timeoutMs = 20_000) =>
      waitFor(
        () => {
          const line = [...stdout, ...stderr].find(match);
          if (!line) {
            throw new Error(`no matching log line yet; stderr so far: ${JSON.stringify(stderr)}`);
          }
          return line;
        },
        { timeoutMs },
      ),
  };
}
