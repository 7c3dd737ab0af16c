import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** The workspace's SWC settings, the same jest compiles with (a file path, not an import). */
const swcConfig = join(__dirname, '..', '..', '..', 'swc.config.js');

/** Node code that compiles required .ts files with SWC, then runs the file in argv[1]. */
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

/**
 * Starts a TypeScript file in a separate Node process, compiled on require by SWC as jest does
 * (its `@tributary/*` imports resolve to the built libs, as in production). For tests that need a
 * real second process: another lock holder, a process to SIGKILL, Node's own require hooks.
 * `args` reach the script as `process.argv.slice(2)`.
 */
export function spawnTypeScript(
  file: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['-e', register, file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
