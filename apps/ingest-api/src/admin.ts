#!/usr/bin/env node
// Admin CLI for the metadata database: sources, API keys, schemas, migrations
// (`node apps/ingest-api/dist/admin.js --help`). The commands live in @tributary/registry, where
// they are tested in-process; this file only wires them to argv, the streams and the exit code.
import { loadConfig } from '@tributary/config';
import { runAdminCli } from '@tributary/registry';

runAdminCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // The same validated configuration the services read; only the Postgres URL is used.
  postgresUrl: () =>
    loadConfig(process.env, {
      onWarning: (warning) => process.stderr.write(`warning: ${warning}\n`),
    }).postgres.url,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
