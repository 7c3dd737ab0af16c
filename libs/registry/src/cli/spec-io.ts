import type { AdminCliContext } from './admin-cli';

/** Captured stdout and stderr for runAdminCli in specs. */
export function captureIo(postgresUrl: () => string | undefined) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const context: AdminCliContext = {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    postgresUrl,
  };
  return { context, stdout: () => stdout.join(''), stderr: () => stderr.join('') };
}
