import { ConsoleLogger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { portSettingKey, readPort } from './port';
import { workspaceVersion } from './service-info';

export interface ServiceBootOptions {
  /** Service name as in apps/, e.g. `ingest-api`. */
  name: string;
  /** The app's root module; it imports PlatformModule.forService(name). */
  module: Type<unknown>;
  /** Port used when TRIBUTARY_<NAME>_PORT is unset; 0 picks a free one. */
  defaultPort: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunningService {
  app: INestApplication;
  url: string;
}

/**
 * Boots a service: JSON logs from the first line, validated port, graceful shutdown hooks, and one
 * structured start line (`event: service.started`) that says what runs where.
 */
export async function bootstrapService(options: ServiceBootOptions): Promise<RunningService> {
  const env = options.env ?? process.env;
  const portKey = portSettingKey(options.name);
  const port = readPort(env, portKey, options.defaultPort);
  const host = env.TRIBUTARY_HOST || '0.0.0.0';

  const logger = new ConsoleLogger(options.name, { json: true, colors: false });
  const app = await NestFactory.create(options.module, { logger });
  app.enableShutdownHooks();
  await app.listen(port, host);

  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  logger.log({
    event: 'service.started',
    service: options.name,
    version: workspaceVersion(),
    url,
    pid: process.pid,
    node: process.version,
  });
  return { app, url };
}

/**
 * Last stop for a service that cannot start (bad setting, port taken, dependency wiring): one JSON
 * line on stderr that names the cause, then a non-zero exit so the supervisor sees the failure.
 */
export function exitOnBootFailure(error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', event: 'service.boot_failed', reason, pid: process.pid })}\n`,
  );
  process.exit(1);
}
