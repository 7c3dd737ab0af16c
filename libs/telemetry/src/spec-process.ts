import { spawnTypeScript } from '@tributary/testing';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript file in a separate Node process, compiled on require by SWC as jest does.
 * Needed where jest cannot show the truth: it loads modules without Node's require hooks (so no
 * auto-instrumentation) and without dynamic import() (which the OTLP exporter uses).
 */
export function runTypeScript(file: string, env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawnTypeScript(file, [], env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
