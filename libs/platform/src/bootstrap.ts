import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TributaryConfig } from '@tributary/config';
import {
  correlationMiddleware,
  type PreparedService,
  workspaceVersion,
} from '@tributary/telemetry';
import type { DestinationStream } from 'pino';
import type { ReadinessCheck } from './health/readiness';
import { type AppLogger, createLogger } from './logging/logger';
import { NestLogger } from './logging/nest-logger';
import { requestLog } from './logging/request-log';
import { httpMetrics } from './metrics/http-metrics';
import { Metrics } from './metrics/metrics';
import { serviceRootModule } from './platform.module';
import { portSettingKey, readPort } from './port';
import { createShutdown, type ShutdownOutcome } from './shutdown';

/** What makes one service: its name, root module, default port and the dependencies it needs. */
export interface ServiceDefinition {
  /** Service name as in apps/, e.g. `ingest-api`. */
  name: string;
  module: Type<unknown>;
  /** Port used when TRIBUTARY_<NAME>_PORT is unset; 0 picks a free one. */
  defaultPort: number;
  /** Dependencies whose answers make the service ready, built from the loaded config. */
  readiness?: (config: TributaryConfig) => ReadinessCheck[];
  /** False when the service reads request bodies itself (size limits, gzip, NDJSON). */
  bodyParser?: boolean;
  /** Last wiring before listening, e.g. serving API docs. */
  configureApp?: (app: INestApplication, config: TributaryConfig) => void;
}

export interface BootOptions {
  env?: NodeJS.ProcessEnv;
  /** Listen here instead of TRIBUTARY_<NAME>_PORT (0: a free port). */
  port?: number;
  /** Log destination; stdout by default. */
  logDestination?: DestinationStream;
  /** Stop on SIGTERM/SIGINT and exit (0 when clean). Off for tests that call stop() themselves. */
  handleSignals?: boolean;
}

export interface RunningService {
  app: INestApplication;
  url: string;
  logger: AppLogger;
  /** Graceful stop; safe to call more than once. */
  stop(reason: string): Promise<ShutdownOutcome>;
}

/**
 * Boots a service: JSON logs from the first line, validated port, correlation IDs and request
 * metrics on every route, graceful shutdown, and one structured start line (`service.started`).
 */
export async function bootstrapService(
  definition: ServiceDefinition,
  prepared: PreparedService,
  options: BootOptions = {},
): Promise<RunningService> {
  const { config } = prepared;
  const env = options.env ?? process.env;
  const port =
    options.port ?? readPort(env, portSettingKey(definition.name), definition.defaultPort);
  const host = env.TRIBUTARY_HOST || '0.0.0.0';
  const version = workspaceVersion();
  const logger = createLogger({
    service: definition.name,
    version,
    level: config.log.level,
    destination: options.logDestination,
  });
  const metrics = new Metrics(definition.name);
  const root = serviceRootModule(definition.module, {
    name: definition.name,
    config,
    logger,
    metrics,
    readiness: definition.readiness?.(config) ?? [],
  });

  const app = await NestFactory.create(root, {
    logger: new NestLogger(logger),
    bodyParser: definition.bodyParser ?? true,
  });
  app.use(correlationMiddleware);
  app.use(httpMetrics(metrics));
  app.use(requestLog(logger));
  definition.configureApp?.(app, config);
  await app.listen(port, host);

  const { port: actualPort } = app.getHttpServer().address() as { port: number };
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
  logger.info({
    event: 'service.started',
    url,
    profile: config.profile,
    node: process.version,
  });

  const stop = createShutdown({
    app,
    logger,
    timeoutMs: config.shutdown.timeout,
    flush: () => prepared.telemetry.shutdown(),
  });
  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void stop(signal).then((outcome) => process.exit(outcome === 'clean' ? 0 : 1));
      });
    }
  }
  return { app, url, logger, stop };
}
