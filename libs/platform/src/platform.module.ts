import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ConfigModule, type TributaryConfig } from '@tributary/config';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, Readiness, type ReadinessCheck } from './health/readiness';
import type { AppLogger } from './logging/logger';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { workspaceVersion } from '@tributary/telemetry';
import { SERVICE_INFO } from './service-info';

export const APP_LOGGER = Symbol('APP_LOGGER');

/** What every service gets from the platform, built before Nest boots (see bootstrapService). */
export interface PlatformOptions {
  name: string;
  config: TributaryConfig;
  logger: AppLogger;
  metrics: Metrics;
  readiness: readonly ReadinessCheck[];
}

/**
 * The plumbing every Tributary service shares: typed config, the JSON logger, the metrics
 * registry, `/health/live`, `/health/ready` and `/metrics`. All injectable app-wide.
 */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [ConfigModule.forRoot(options.config)],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_INFO, useValue: { name: options.name, version: workspaceVersion() } },
        { provide: APP_LOGGER, useValue: options.logger },
        { provide: Metrics, useValue: options.metrics },
        { provide: READINESS_CHECKS, useValue: options.readiness },
        Readiness,
      ],
      exports: [SERVICE_INFO, APP_LOGGER, Metrics, Readiness],
    };
  }
}

@Module({})
class ServiceRootModule {}

/** A service's root: the platform plus the app's own module. */
export function serviceRootModule(app: Type<unknown>, options: PlatformOptions): DynamicModule {
  return { module: ServiceRootModule, imports: [PlatformModule.forService(options), app] };
}
