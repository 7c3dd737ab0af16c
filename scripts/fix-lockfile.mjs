#!/usr/bin/env node
// Keeps `npm ci` working after `npm install` rewrote package-lock.json on a registry mirror that
// serves only this platform's build of chDB's native library. npm then leaves chdb's other
// optional platform packages out of the lock file, and `npm ci` refuses the lock as out of sync.
// This puts them back as optional, platform-restricted entries that npm skips on other platforms.
// Run it after changing dependencies: `node scripts/fix-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lockPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const chdb = lock.packages['node_modules/chdb'];
const platforms = {
  '@chdb/lib-darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  '@chdb/lib-darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  '@chdb/lib-linux-arm64-gnu': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  '@chdb/lib-linux-x64-gnu': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
};

let added = 0;
for (const [name, version] of Object.entries(chdb?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key] || !platforms[name]) continue;
  lock.packages[key] = { version, license: 'Apache-2.0', optional: true, ...platforms[name] };
  added += 1;
}
if (added > 0) writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`fix-lockfile: ${added} optional platform package(s) added`);
