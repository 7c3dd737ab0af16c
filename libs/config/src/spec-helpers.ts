import { ConfigError } from './errors';
import { readConfig } from './loader';

/** A complete distributed deployment, for specs that then change one thing. Spec helper only. */
export const distributedEnv = {
  TRIBUTARY_PROFILE: 'distributed',
  TRIBUTARY_KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
  TRIBUTARY_POSTGRES_URL: 'postgres://tributary:s3cret@pg:5432/tributary',
  TRIBUTARY_REDIS_URL: 'redis://redis:6379',
  TRIBUTARY_CLICKHOUSE_URL: 'http://clickhouse:8123',
} as const;

/** The problem lines of the `ConfigError` that `env` must cause. */
export function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}
