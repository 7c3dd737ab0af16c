import { localServices, uniqueName, waitFor } from '@tributary/testing';
import type { Admin, Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { createKafka, createProducer } from './kafka-client';

describe(createKafka.name, () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    kafka = createKafka({ brokers: localServices().kafkaBrokers, clientId: 'messaging-int-spec' });
    admin = kafka.admin();
    producer = createProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await Promise.all([producer?.disconnect(), admin?.disconnect()]);
  });

  it('produces with acks=all and consumes in a consumer group, committing the offsets', async () => {
    const topic = uniqueName('messaging-probe');
    const groupId = uniqueName('messaging-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const sent = await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'user-1', value: JSON.stringify({ n: 1 }), headers: { 'correlation-id': 'c-1' } },
        { key: 'user-1', value: JSON.stringify({ n: 2 }), headers: { 'correlation-id': 'c-2' } },
      ],
    });
    expect(sent).toHaveLength(1); // one key, one partition

    const received: EachMessagePayload[] = [];
    consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async (payload) => void received.push(payload) });

    await waitFor(() => expect(received).toHaveLength(2), { timeoutMs: 30_000 });
    expect(received.map((m) => JSON.parse(String(m.message.value)) as unknown)).toEqual([
      { n: 1 },
      { n: 2 },
    ]);
    expect(received.map((m) => m.message.headers?.['correlation-id']?.toString())).toEqual([
      'c-1',
      'c-2',
    ]);
    expect(new Set(received.map((m) => m.partition))).toEqual(new Set([sent[0].partition]));

    // Offsets are committed for the group: a restarted member would resume after both messages.
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const partition = committed.partitions.find((p) => p.partition === sent[0].partition);
        expect(partition?.offset).toBe('2');
      },
      { timeoutMs: 15_000 },
    );
  });
});
