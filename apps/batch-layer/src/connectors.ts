#!/usr/bin/env node
// Connectors CLI: `npm run connectors -- run <name> | state <name> | reset <name> [--yes] |
// backfill <name> --from V --to V`. Uses the connector files of TRIBUTARY_CONNECTORS_DIR and the
// same Postgres, Kafka (and, for entity tables, warehouse and lake) as the batch layer.
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '@tributary/config';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { CONNECTORS_USAGE, connectorsCli } from './cli/connectors-cli';
import { connectorConfigs, createConnectors } from './connectors/connectors-runtime';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help')) {
    process.stdout.write(`${CONNECTORS_USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const config = loadConfig();
  if (!config.connectors.dir) {
    process.stderr.write(
      'connectors needs TRIBUTARY_CONNECTORS_DIR (a folder of connector YAML files)\n',
    );
    return 2;
  }
  if (!config.postgres.url) {
    process.stderr.write(
      'connectors needs TRIBUTARY_POSTGRES_URL: watermarks and runs live in Postgres (rows go to Kafka, or to the embedded log when no brokers are configured)\n',
    );
    return 2;
  }
  const configs = connectorConfigs(config);
  const db = await createMetadataDataSource({ url: config.postgres.url, poolSize: 3 }).initialize();
  await migrateMetadata(db);
  const { connectors, close } = createConnectors(config, db, configs);
  try {
    return await connectorsCli(
      argv,
      {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      },
      {
        names: configs.map((c) => c.name),
        run: (name, request) => connectors.run(name, request),
        state: (name) => connectors.state(name),
        reset: (name) => connectors.reset(name),
        confirm: async (question) => {
          if (!process.stdin.isTTY) return false;
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          try {
            return (await rl.question(question)).trim().toLowerCase() === 'yes';
          } finally {
            rl.close();
          }
        },
      },
    );
  } finally {
    await close();
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`connectors: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
