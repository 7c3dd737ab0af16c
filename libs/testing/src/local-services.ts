/**
 * Addresses of the local services that scripts/services.sh runs. The defaults match the script's;
 * both read the same TRIBUTARY_* variables, so moving a port moves it for the script and the tests.
 */
export interface LocalServices {
  /** Admin connection; tests create their own database from it (see createTestDatabase). */
  postgresUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
}

export function localServices(env: NodeJS.ProcessEnv = process.env): LocalServices {
  const pgPort = env.TRIBUTARY_PG_PORT || '55432';
  const redisPort = env.TRIBUTARY_REDIS_PORT || '56379';
  const kafkaPort = env.TRIBUTARY_KAFKA_PORT || '59092';
  return {
    postgresUrl: `postgres://tributary:tributary@127.0.0.1:${pgPort}/tributary`,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    kafkaBrokers: [`127.0.0.1:${kafkaPort}`],
  };
}
