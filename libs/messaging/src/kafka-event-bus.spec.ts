import { CompressionTypes, type Kafka, type ProducerBatch } from 'kafkajs';
import { KafkaEventBus, type KafkaBusOptions } from './kafka-event-bus';

/** A Kafka stand-in that records what the bus hands to `sendBatch`. */
function fakeKafka(sent: ProducerBatch[]): Kafka {
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    sendBatch: async (batch: ProducerBatch) => {
      sent.push(batch);
      return [];
    },
  };
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => ['events'],
    createTopics: async () => true,
  };
  return { producer: () => producer, admin: () => admin } as unknown as Kafka;
}

async function compressionOf(options: Partial<KafkaBusOptions>): Promise<unknown> {
  const sent: ProducerBatch[] = [];
  const bus = new KafkaEventBus(fakeKafka(sent), {
    topicPartitions: 1,
    replicationFactor: 1,
    ...options,
  });
  await bus.publish([{ topic: 'events', messages: [{ key: 'k', value: 'v', headers: {} }] }], {
    timeoutMs: 1_000,
  });
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ acks: -1, topicMessages: [{ topic: 'events' }] });
  return sent[0].compression;
}

describe(KafkaEventBus.name, () => {
  it('gzips batches by default', async () => {
    expect(await compressionOf({})).toBe(CompressionTypes.GZIP);
    expect(await compressionOf({ compression: 'gzip' })).toBe(CompressionTypes.GZIP);
  });

  it('sends batches uncompressed when compression is none', async () => {
    expect(await compressionOf({ compression: 'none' })).toBe(CompressionTypes.None);
  });
});

describe(`${KafkaEventBus.name} under the kafkajs instrumentation`, () => {
  it("calls kafkajs's own sendBatch, not the instrumentation's per-record wrapper", async () => {
    const sent: ProducerBatch[] = [];
    const kafka = fakeKafka(sent);
    const producer = kafka.producer();
    const original = producer.sendBatch;
    // What the instrumentation's shimmer leaves on the producer: a wrapper keeping `__original`.
    const wrapper = Object.assign(
      async () => {
        throw new Error('the per-record wrapper ran');
      },
      { __original: original },
    );
    producer.sendBatch = wrapper;
    const bus = new KafkaEventBus(kafka, {
      topicPartitions: 1,
      replicationFactor: 1,
    });
    await bus.publish([{ topic: 'events', messages: [{ key: 'k', value: 'v', headers: {} }] }], {
      timeoutMs: 1_000,
    });
    expect(sent).toHaveLength(1);
  });
});
