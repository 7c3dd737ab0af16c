import { parseArgs } from 'node:util';

export interface PipelineArgs {
  help: boolean;
  reset: boolean;
  yes: boolean;
}

export const PIPELINE_USAGE = `Usage: npm start [-- --reset [--yes]]

Runs the whole Tributary pipeline in one process (embedded profile): ingest API, speed layer,
batch layer and serving API, with an embedded log, chDB, PGlite and a local Iceberg lake under
the data folder (TRIBUTARY_DATA_DIR, default .tributary).

  --reset   delete the data folder first (asks for confirmation)
  --yes     with --reset: do not ask
  --help    this text

Ports: TRIBUTARY_INGEST_API_PORT (3100), TRIBUTARY_SERVING_API_PORT (3200),
TRIBUTARY_SPEED_LAYER_PORT (3300), TRIBUTARY_BATCH_LAYER_PORT (3400). Every other setting:
docs/configuration.md.
`;

export function parsePipelineArgs(argv: readonly string[]): PipelineArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      reset: { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
    },
    strict: true,
  });
  return { help: values.help, reset: values.reset, yes: values.yes };
}
