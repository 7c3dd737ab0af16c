import { ConfigError, loadConfig, type TributaryConfig } from '@tributary/config';
import { startTelemetry, type Telemetry } from '../start-telemetry';
import { exitOnBootFailure } from './boot-failure';
import { workspaceVersion } from './workspace-version';

/** Loaded config and started telemetry, handed to bootstrapService. */
export interface PreparedService {
  config: TributaryConfig;
  telemetry: Pick<Telemetry, 'shutdown'>;
}

/**
 * First step of every service's main (its instrument.ts): validate the configuration — a bad
 * setting stops the process with every bad key named — and start tracing before the instrumented
 * libraries load. This module imports no Nest, express, pg, ioredis or kafkajs code on purpose.
 */
export function prepareService(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): PreparedService {
  try {
    const config = loadConfig(env);
    const telemetry = startTelemetry({
      serviceName: name,
      serviceVersion: workspaceVersion(),
      environment: config.telemetry.environment,
      otlpEndpoint: config.telemetry.otlpEndpoint,
      sampleRatio: config.telemetry.sampleRatio,
      consoleExporter: config.telemetry.consoleExporter,
    });
    return { config, telemetry };
  } catch (error) {
    if (error instanceof ConfigError) exitOnBootFailure(error);
    throw error;
  }
}
