/**
 * Last stop for a service that cannot start (bad setting, port taken, dependency wiring): one JSON
 * line on stderr that names the cause — for a configuration error, every bad key — then a
 * non-zero exit so the supervisor sees the failure.
 */
export function exitOnBootFailure(error: unknown): never {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const problems = (error as { problems?: readonly string[] } | undefined)?.problems;
  const line = { level: 'fatal', event: 'service.boot_failed', reason, problems, pid: process.pid };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(1);
}
