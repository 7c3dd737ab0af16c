#!/usr/bin/env node
import { loadConfig } from '@tributary/config';
import { runDataDocsCli } from './data-docs-cli';

// node libs/quality/dist/cli/data-docs.js --out quality-report.html [--suites quality/]
void runDataDocsCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  postgresUrl: () => loadConfig().postgres.url,
}).then((code) => {
  process.exitCode = code;
});
