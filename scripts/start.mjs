#!/usr/bin/env node
// `npm start`: install (first run only), build, and run the pipeline's services on this machine.
//
// Today it starts the four services as child processes and prints where they listen. The embedded
// profile (one process: embedded log, chDB, PGlite, local lake) will replace the children behind
// this same command, so the README's quick start does not change.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const services = [
  { name: 'ingest-api', port: 3100 },
  { name: 'serving-api', port: 3200 },
  { name: 'speed-layer', port: 3300 },
  { name: 'batch-layer', port: 3400 },
];

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
  console.log('tributary: first run, installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
console.log('tributary: building…');
run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);

const children = [];
let stopping = false;

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5_000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r()))),
  ).then(() => process.exit(code));
}

let started = 0;
for (const service of services) {
  const portKey = `TRIBUTARY_${service.name.toUpperCase().replace(/-/g, '_')}_PORT`;
  const port = process.env[portKey] || String(service.port);
  const child = spawn(process.execPath, [join(root, 'apps', service.name, 'dist', 'main.js')], {
    cwd: root,
    env: { ...process.env, [portKey]: port },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  // Pass every log line through; announce the URLs once each service has written its start line.
  createInterface({ input: child.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    if (line.includes('"service.started"') && ++started === services.length) {
      console.log('\ntributary: all services are up');
      for (const s of services) {
        const key = `TRIBUTARY_${s.name.toUpperCase().replace(/-/g, '_')}_PORT`;
        console.log(
          `  ${s.name.padEnd(12)} http://127.0.0.1:${process.env[key] || s.port}/health/live`,
        );
      }
      console.log('Stop with Ctrl-C.');
    }
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(
        `tributary: ${service.name} exited (${signal ?? `code ${code}`}); stopping the others`,
      );
      stopAll(code || 1);
    }
  });
}

process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));
