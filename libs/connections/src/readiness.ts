import type { TributaryConfig } from '@tributary/config';
import { redisReadiness } from '@tributary/jobs';
import { kafkaReadiness } from '@tributary/messaging';
import { kafkaFor } from './kafka';
import { embeddedLogReadiness } from './message-log';
import { createMetadataDataSource, postgresReadiness } from '@tributary/metadata';
import { createWarehouseClient, warehouseReadiness } from '@tributary/warehouse';

/** An outside service a Tributary service may depend on in the distributed profile. */
export type Dependency = 'kafka' | 'postgres' | 'redis' | 'clickhouse';

export interface DependencyCheck {
  name: string;
  check(): Promise<void>;
  /** Releases the probe's own connection, where it keeps one. */
  close?(): Promise<void>;
}

/**
 * Readiness probes for the dependencies a service declares, built from the loaded config. The
 * embedded profile has no outside services: its one probe is the embedded log standing in for
 * Kafka (ready once open; not ready if another process owns the folder). In the distributed
 * profile libs/config has already required each URL.
 */
export function readinessChecks(
  config: TributaryConfig,
  dependencies: readonly Dependency[],
): DependencyCheck[] {
  if (config.profile === 'embedded')
    return dependencies.includes('kafka') && !config.kafka.brokers
      ? [embeddedLogReadiness(config)]
      : [];
  return dependencies.map((dependency) => probe(config, dependency));
}

function probe(config: TributaryConfig, dependency: Dependency): DependencyCheck {
  switch (dependency) {
    case 'kafka':
      return kafkaReadiness(kafkaFor(config));
    case 'postgres':
      return postgresReadiness(
        createMetadataDataSource({ url: required(config.postgres.url, 'postgres'), poolSize: 1 }),
      );
    case 'redis':
      return redisReadiness(required(config.redis.url, 'redis'));
    case 'clickhouse':
      return warehouseReadiness(
        createWarehouseClient({
          kind: 'http',
          url: required(config.clickhouse.url, 'clickhouse'),
          password: config.clickhouse.password,
        }),
      );
  }
}

function required<T>(value: T | undefined, dependency: Dependency): T {
  if (value === undefined) {
    throw new Error(`${dependency} is not configured; libs/config requires it in this profile`);
  }
  return value;
}
