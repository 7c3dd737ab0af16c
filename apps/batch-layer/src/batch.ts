#!/usr/bin/env node
// Batch CLI: `npm run batch -- run <view|all> [--full | --from D --to D]`, `runs`, `lineage <view>`.
// Talks to the same Postgres, warehouse and lake as the service (distributed profile; in the
// embedded profile stop the service first: chDB opens a data folder in one process at a time).
import { loadConfig } from '@tributary/config';
import { messageLogFor, warehouseTargetFor } from '@tributary/connections';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { DEFAULT_VIEWS, validateViews } from '@tributary/views';
import { createWarehouseClient } from '@tributary/warehouse';
import {
  BATCH_CHDB_FOLDER,
  checkBatchSettings,
  createBatchRunner,
} from './batch/batch-layer-runtime';
import { batchCli, USAGE } from './cli/batch-cli';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const config = loadConfig();
  checkBatchSettings(config);
  if (!config.postgres.url) {
    process.stderr.write('batch needs TRIBUTARY_POSTGRES_URL: runs and watermarks live there\n');
    return 2;
  }
  const db = await createMetadataDataSource({ url: config.postgres.url, poolSize: 3 }).initialize();
  await migrateMetadata(db);
  const client = createWarehouseClient(warehouseTargetFor(config, BATCH_CHDB_FOLDER), {
    application: 'tributary-batch-cli',
  });
  const log = messageLogFor(config, 'batch-cli');
  try {
    let step: (line: string) => void = () => undefined;
    const { runner, store } = createBatchRunner({
      config,
      db,
      client,
      log,
      onStep: (_run, line) => step(line),
    });
    return await batchCli(
      argv,
      {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      },
      {
        views: validateViews(DEFAULT_VIEWS),
        run: (request, onStep) => {
          step = onStep;
          return runner.run(request);
        },
        runs: (view, limit) => store.runs(view, limit),
      },
    );
  } finally {
    await log.close();
    await client.close();
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`batch: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
