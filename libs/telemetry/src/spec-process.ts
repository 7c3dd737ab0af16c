import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The workspace's SWC settings, the same jest compiles with (a file path, not an import). */
const swcConfig = join(__dirname, '..', '..', '..', 'swc.config.js');

/**
 * Runs a TypeScript file in a separate Node process, compiled on require by SWC as jest does.
 * Needed where jest cannot show the truth: it loads modules without Node's require hooks (so no
 * auto-instrumentation) and without dynamic import() (which the OTLP exporter uses).
 */
const register = `
const { readFileSync } = require('node:fs');
const swc = require('@swc/core');
const options = require(${JSON.stringify(swcConfig)});
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
require(process.argv[1]);
`;

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTypeScript(file: string, env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', register, file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
