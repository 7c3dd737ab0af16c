#!/usr/bin/env node
// `npm start`: the whole pipeline — ingest API, speed layer, batch layer and serving API — in one
// process, on one data folder (`node apps/pipeline/dist/main.js --help`).
//
// Order matters here: the embedded Postgres must listen before the configuration is read (its URL
// becomes TRIBUTARY_POSTGRES_URL), and telemetry must start before the instrumented libraries
// (Nest, express, pg, kafkajs) load, so those are imported only after `prepareService`.
import { startEmbeddedPostgres } from '@tributary/embedded-postgres';
import { exitOnBootFailure, prepareService } from '@tributary/telemetry';
import { parsePipelineArgs, PIPELINE_USAGE } from './args';
import { dataFolder, resetDataFolder } from './data-folder';

async function main(): Promise<void> {
  let args;
  try {
    args = parsePipelineArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`tributary: ${(error as Error).message}\n\n${PIPELINE_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(PIPELINE_USAGE);
    return;
  }
  const folder = dataFolder(process.env);
  if (args.reset && !(await resetDataFolder(folder, { yes: args.yes }))) process.exit(1);

  const postgres = process.env.TRIBUTARY_POSTGRES_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: folder.postgres,
        onError: (error) => process.stderr.write(`embedded postgres: ${String(error)}\n`),
      });
  if (postgres) process.env.TRIBUTARY_POSTGRES_URL = postgres.url;

  const prepared = prepareService('tributary');
  const { runPipeline } = await import('./pipeline.js');
  await runPipeline(prepared, { folder, postgres });
}

main().catch(exitOnBootFailure);
