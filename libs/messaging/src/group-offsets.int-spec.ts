import { localServices, uniqueName, waitFor } from '@tributary/testing';
import type { Kafka } from 'kafkajs';
import { GroupActiveError, resetGroupOffsets } from './group-offsets';
import { createKafka, createProducer } from './kafka-client';

describe(resetGroupOffsets.name, () => {
  let kafka: Kafka;
  const topic = uniqueName('reset-offsets');
  const groupId = uniqueName('reset-group');
  // Recent record times: the broker deletes segments whose records are older than its retention
  // (7 days by time stamp, checked every few minutes), which would move `earliest` mid-test.
  const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;

  const committed = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return offsets.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    kafka = createKafka({ brokers: localServices().kafkaBrokers, clientId: 'reset-offsets-spec' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    // Partition 0: records at T0, T0+1min, …, T0+9min; partition 1: five at T0+20min, ….
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        ...Array.from({ length: 10 }, (_, i) => ({
          partition: 0,
          value: `a${i}`,
          timestamp: String(T0 + i * 60_000),
        })),
        ...Array.from({ length: 5 }, (_, i) => ({
          partition: 1,
          value: `b${i}`,
          timestamp: String(T0 + (20 + i) * 60_000),
        })),
      ],
    });
    await producer.disconnect();
  });

  it('moves an inactive group to a timestamp, the beginning or explicit offsets; refuses an active one', async () => {
    const reset = (target: Parameters<typeof resetGroupOffsets>[1]['target']) =>
      resetGroupOffsets(kafka, { groupId, topic, target });

    // Nothing in partition 0 at or after T0+9.5min: its end; partition 1 starts later: its start.
    await expect(reset({ kind: 'timestamp', at: T0 + 9.5 * 60_000 })).resolves.toEqual([
      { partition: 0, from: undefined, to: '10' },
      { partition: 1, from: undefined, to: '0' },
    ]);
    expect(await committed()).toEqual(['10', '0']);
    await expect(reset({ kind: 'earliest' })).resolves.toEqual([
      { partition: 0, from: '10', to: '0' },
      { partition: 1, from: '0', to: '0' },
    ]);
    await expect(
      reset({ kind: 'offsets', offsets: [{ partition: 1, offset: '6' }] }),
    ).rejects.toThrow('outside 0..5');
    await reset({ kind: 'offsets', offsets: [{ partition: 0, offset: '7' }] });
    expect(await committed()).toEqual(['7', '0']);

    // A member joins: the reset is refused before anything changes.
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    await consumer.run({ autoCommit: false, eachMessage: async () => consumer.pause([{ topic }]) });
    try {
      await waitFor(() => expect(joined).toBe(true), { timeoutMs: 30_000 });
      await expect(reset({ kind: 'earliest' })).rejects.toBeInstanceOf(GroupActiveError);
      expect(await committed()).toEqual(['7', '0']);
    } finally {
      await consumer.disconnect();
    }
  }, 90_000);
});
