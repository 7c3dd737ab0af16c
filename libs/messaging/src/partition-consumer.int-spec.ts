import { localServices, uniqueName, waitFor } from '@tributary/testing';
import type { Kafka } from 'kafkajs';
import { createKafka, createProducer } from './kafka-client';
import { MemorySink } from './message-log.contract';
import { type OffsetRange, runPartitionConsumer } from './partition-consumer';

describe(runPartitionConsumer.name, () => {
  let kafka: Kafka;

  beforeAll(() => {
    kafka = createKafka({
      brokers: localServices().kafkaBrokers,
      clientId: 'partition-consumer-spec',
    });
  });

  async function produce(topic: string, count: number): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({ key: `k${i % 17}`, value: `v${i}` })),
    });
    await producer.disconnect();
  }

  const exactlyOnce = (sink: MemorySink, count: number) => {
    expect([...sink.values.values()].sort()).toEqual(
      Array.from({ length: count }, (_, i) => `v${i}`).sort(),
    );
    expect([...sink.writes.values()].every((n) => n === 1)).toBe(true);
  };

  it('writes every record once and commits after the sink acknowledged', async () => {
    const topic = uniqueName('pc-basic');
    await produce(topic, 300);
    const sink = new MemorySink();
    sink.failNext = 2; // the first writes fail: retried with the same range, nothing committed
    const groupId = uniqueName('pc-group');
    const running = await runPartitionConsumer(kafka, {
      groupId,
      topic,
      sink,
      maxRangeSize: 50,
      retry: { initialMs: 20, maxMs: 100 },
    });
    try {
      await waitFor(() => expect(sink.values.size).toBe(300), { timeoutMs: 30_000 });
      exactlyOnce(sink, 300);
    } finally {
      await running.stop();
    }
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    const committed = offsets.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committed).toBe(300);
  });

  it('resumes after what the sink holds when a member dies between write and commit', async () => {
    const topic = uniqueName('pc-crash');
    await produce(topic, 600);
    const sink = new MemorySink();
    const groupId = uniqueName('pc-group');
    let crashed = false;
    // The first member "dies" right after a sink write, before it can commit: the write is in
    // the sink, the process is gone (stopping, and the write never reports success).
    let writes = 0;
    let lost: OffsetRange | undefined;
    const first = await runPartitionConsumer(kafka, { groupId, topic, sink, maxRangeSize: 40 });
    sink.afterWrite = (range) => {
      writes += 1;
      if (writes === 2) {
        crashed = true;
        lost = range;
        void first.stop();
        throw new Error('process died after the insert, before the commit');
      }
    };
    await waitFor(() => expect(crashed).toBe(true), { timeoutMs: 30_000 });
    await first.stop().catch(() => undefined);
    sink.afterWrite = undefined;
    expect(sink.values.size).toBeLessThan(600);

    // A new member with other fetch sizes and range sizes: batch boundaries move.
    const skipped: Array<{ partition: number; records: number }> = [];
    const second = await runPartitionConsumer(kafka, {
      groupId,
      topic,
      sink,
      maxRangeSize: 7,
      maxBytesPerPartition: 1024,
      onSkipped: ({ partition, records }) => skipped.push({ partition, records }),
    });
    try {
      await waitFor(() => expect(sink.values.size).toBe(600), { timeoutMs: 60_000 });
      exactlyOnce(sink, 600);
      // The written-but-uncommitted range is read again and skipped, record by record.
      const { partition, firstOffset, lastOffset } = lost as OffsetRange;
      expect(skipped.every((s) => s.partition === partition)).toBe(true);
      expect(skipped.reduce((sum, s) => sum + s.records, 0)).toBe(
        Number(lastOffset) - Number(firstOffset) + 1,
      );
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('counts each record once when a second member joins mid-stream (rebalance)', async () => {
    const topic = uniqueName('pc-rebalance');
    await produce(topic, 400);
    const sink = new MemorySink();
    const groupId = uniqueName('pc-group');
    const first = await runPartitionConsumer(kafka, {
      groupId,
      topic,
      sink,
      maxRangeSize: 5,
      maxBytesPerPartition: 512,
    });
    await waitFor(() => expect(sink.values.size).toBeGreaterThan(0), { timeoutMs: 30_000 });
    const second = await runPartitionConsumer(kafka, { groupId, topic, sink, maxRangeSize: 13 });
    try {
      await waitFor(() => expect(sink.values.size).toBe(400), { timeoutMs: 60_000 });
      exactlyOnce(sink, 400);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  }, 90_000);
});
