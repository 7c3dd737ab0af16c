#!/usr/bin/env node
// `npm start`: install (first run only), build, and run the whole pipeline in one process
// (apps/pipeline: ingest API, speed layer, batch layer and serving API on an embedded log, chDB,
// PGlite and a local Iceberg lake). Arguments pass through: `npm start -- --reset`, `-- --help`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (result.status !== 0) {
    console.error(`tributary: \`${command} ${args.join(' ')}\` failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(join(root, 'node_modules', '.bin', 'nx'))) {
  console.error('tributary: first run, installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
console.error('tributary: building…');
run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);

const pipeline = spawn(
  process.execPath,
  [join(root, 'apps', 'pipeline', 'dist', 'main.js'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
// Ctrl-C reaches the pipeline through the terminal's process group; a plain kill of this script
// is passed on. Either way this script waits for the pipeline's own graceful stop.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => pipeline.kill(signal));
pipeline.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
