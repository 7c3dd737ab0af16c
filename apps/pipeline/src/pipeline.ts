import { Logger } from '@nestjs/common';
import { batchLayer } from '@tributary/batch-layer';
import { shareEmbeddedWarehouse } from '@tributary/connections';
import type { EmbeddedPostgres } from '@tributary/embedded-postgres';
import { ingestApi } from '@tributary/ingest-api';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import {
  bootstrapService,
  createLogger,
  NestLogger,
  type RunningService,
  type ServiceDefinition,
} from '@tributary/platform';
import { servingApi } from '@tributary/serving-api';
import { speedLayer } from '@tributary/speed-layer';
import { type PreparedService, workspaceVersion } from '@tributary/telemetry';
import { printBanner } from './banner';
import type { DataFolder } from './data-folder';
import { ensureDemoCredentials } from './demo-credentials';
import { writePipelineFile } from './pipeline-file';

/**
 * Start order: the intake first (it creates the topics the consumers subscribe to), then the
 * consumers, then the serving API. Stop order: the intake first, so nothing new arrives while
 * the consumers finish their batches, then the rest in reverse.
 */
const SERVICES: readonly ServiceDefinition[] = [ingestApi, speedLayer, batchLayer, servingApi];

export interface PipelineOptions {
  folder: DataFolder;
  /** The PGlite server this process started, when no outside Postgres was configured. */
  postgres?: EmbeddedPostgres;
}

/** Boots every service in this process on shared adapters and stops them together. */
export async function runPipeline(
  prepared: PreparedService,
  options: PipelineOptions,
): Promise<void> {
  const { config } = prepared;
  const logger = createLogger({
    service: 'pipeline',
    version: workspaceVersion(),
    level: config.log.level,
  });
  shareEmbeddedWarehouse();

  // Migrate once, before the services race to: PGlite is one session, so the advisory lock that
  // orders concurrent migrations elsewhere does not exclude anything here.
  const db = await createMetadataDataSource({
    url: requiredPostgresUrl(config.postgres.url),
  }).initialize();
  let demo;
  try {
    await migrateMetadata(db);
    demo = await ensureDemoCredentials(db, options.folder.credentials);
  } finally {
    await db.destroy();
  }

  // Telemetry is this process's, flushed once at the very end, not by each service's stop.
  const shared: PreparedService = { config, telemetry: { shutdown: async () => undefined } };
  const running: RunningService[] = [];
  const pipelineFile: { remove?: () => void } = {};
  const stopAll = async (reason: string): Promise<boolean> => {
    let clean = true;
    const [intake, ...rest] = running;
    for (const service of [intake, ...rest.reverse()].filter((s) => s !== undefined)) {
      clean = (await service.stop(reason)) === 'clean' && clean;
    }
    await options.postgres?.stop();
    await prepared.telemetry.shutdown();
    pipelineFile.remove?.();
    return clean;
  };
  try {
    for (const definition of SERVICES) running.push(await bootstrapService(definition, shared));
  } catch (error) {
    await stopAll('boot failed').catch(() => undefined);
    throw error;
  }

  // Nest keeps one process-wide logger for its own messages (ExceptionsHandler, …), the last
  // booted app's; name them for what they are here rather than credit one service with them.
  Logger.overrideLogger(new NestLogger(logger));

  const urls = Object.fromEntries(running.map((s, i) => [SERVICES[i].name, s.url]));
  pipelineFile.remove = writePipelineFile(options.folder, urls);
  logger.info({ event: 'pipeline.started', urls, data: options.folder.root }, 'pipeline started');
  printBanner(process.stderr, { urls, folder: options.folder, ...demo });

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      void stopAll(signal).then(
        (clean) => process.exit(clean ? 0 : 1),
        () => process.exit(1),
      );
    });
  }
}

function requiredPostgresUrl(url: string | undefined): string {
  if (!url) throw new Error('TRIBUTARY_POSTGRES_URL is unset and no embedded Postgres was started');
  return url;
}
