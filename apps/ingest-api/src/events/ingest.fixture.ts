import { createMetadataDataSource } from '@tributary/metadata';
import { startTestService, type TestService } from '@tributary/platform';
import { ApiKeys, SchemaRegistry, Sources } from '@tributary/registry';
import {
  createTestDatabase,
  localServices,
  type TestDatabase,
  uniqueName,
} from '@tributary/testing';
import { ingestApi } from '../ingest-api.service';

export interface IngestFixture {
  service: TestService;
  database: TestDatabase;
  /** API key of the fixture's source. */
  key: string;
  eventsTopic: string;
  dlqTopic: string;
  /** The distributed-profile environment the service runs with, for a second instance. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * Test-only: the ingest API in the distributed profile on the local Kafka and a fresh Postgres
 * database, its own topics, one source with a key, and the given schemas registered.
 */
export async function startIngestFixture(
  label: string,
  schemas: Record<string, unknown>,
  overrides: NodeJS.ProcessEnv = {},
): Promise<IngestFixture> {
  const database = await createTestDatabase(label);
  const eventsTopic = uniqueName(`${label}-events`);
  const dlqTopic = uniqueName(`${label}-dlq`);
  const env: NodeJS.ProcessEnv = {
    TRIBUTARY_PROFILE: 'distributed',
    TRIBUTARY_KAFKA_BROKERS: localServices().kafkaBrokers.join(','),
    TRIBUTARY_POSTGRES_URL: database.url,
    TRIBUTARY_REDIS_URL: localServices().redisUrl,
    TRIBUTARY_CLICKHOUSE_URL: 'http://127.0.0.1:8123',
    TRIBUTARY_EVENTS_TOPIC: eventsTopic,
    TRIBUTARY_DLQ_TOPIC: dlqTopic,
    TRIBUTARY_KAFKA_TOPIC_PARTITIONS: '3',
    ...overrides,
  };
  const service = await startTestService(ingestApi, env); // it migrates the fresh database
  const metadata = await createMetadataDataSource({ url: database.url, poolSize: 1 }).initialize();
  try {
    await new Sources(metadata).create(label.replace(/_/g, '-'));
    const { key } = await new ApiKeys(metadata).create(label.replace(/_/g, '-'));
    const registry = new SchemaRegistry(metadata);
    for (const [type, schema] of Object.entries(schemas)) await registry.register(type, schema);
    return {
      service,
      database,
      key,
      eventsTopic,
      dlqTopic,
      env,
      close: async () => {
        await service.stop('test finished');
        await database.drop();
      },
    };
  } finally {
    await metadata.destroy();
  }
}
