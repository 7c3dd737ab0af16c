import { createServer, type Server, Socket } from 'node:net';
import { createKafka, KafkaEventBus, topicEndOffsets } from '@tributary/messaging';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { SchemaRegistry } from '@tributary/registry';
import {
  createTestDatabase,
  freePort,
  localServices,
  type TestDatabase,
  uniqueName,
} from '@tributary/testing';
import type { DataSource } from 'typeorm';

/** Metadata database, registry, bus and a fresh pair of topics: what every connector test needs. */
export interface ConnectorFixture {
  meta: TestDatabase;
  db: DataSource;
  registry: SchemaRegistry;
  kafka: ReturnType<typeof createKafka>;
  bus: KafkaEventBus;
  topics: { eventsTopic: string; dlqTopic: string };
  publish: {
    eventsTopic: string;
    dlqTopic: string;
    publishTimeoutMs: number;
    maxEventBytes: number;
    maxFutureSkewMs: number;
  };
  /** How many records a topic holds: the sum of its partitions' end offsets. */
  recordsOn(topic: string): Promise<number>;
  close(): Promise<void>;
}

export async function connectorFixture(label: string): Promise<ConnectorFixture> {
  const meta = await createTestDatabase(label);
  const db = await createMetadataDataSource({ url: meta.url, poolSize: 4 }).initialize();
  await migrateMetadata(db);
  const kafka = createKafka({ brokers: localServices().kafkaBrokers, clientId: label });
  const bus = new KafkaEventBus(kafka, { topicPartitions: 3, replicationFactor: 1 });
  const topics = {
    eventsTopic: uniqueName(`${label}-events`),
    dlqTopic: uniqueName(`${label}-dlq`),
  };
  return {
    meta,
    db,
    registry: new SchemaRegistry(db),
    kafka,
    bus,
    topics,
    publish: {
      ...topics,
      publishTimeoutMs: 15_000,
      maxEventBytes: 65_536,
      maxFutureSkewMs: 300_000,
    },
    recordsOn: async (topic) => {
      const ends = await topicEndOffsets(kafka, topic);
      return [...ends.values()].reduce((sum, n) => sum + Number(n), 0);
    },
    close: async () => {
      await bus.close();
      await db.destroy();
      await meta.drop();
    },
  };
}

/**
 * A TCP proxy in front of Postgres that the test can cut (every connection dropped, new ones
 * refused) and restore: a source database that stops answering mid-run.
 */
export interface CuttableProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function cuttableProxy(targetPort: number): Promise<CuttableProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new Socket();
        upstream.connect(targetPort, '127.0.0.1');
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (server) server.close(() => resolve());
      else resolve();
      server = undefined;
    });
  await listen();
  return { port, cut: stop, restore: listen, close: stop };
}
