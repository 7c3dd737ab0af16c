import { localServices, readTopic, uniqueName } from '@tributary/testing';
import { BusUnavailableError } from './event-bus';
import { KafkaEventBus } from './kafka-event-bus';
import { createKafka } from './kafka-client';

describe(KafkaEventBus.name, () => {
  describe('publish', () => {
    it('writes concurrent publishes together and acknowledges each once its records are stored', async () => {
      const bus = new KafkaEventBus(
        createKafka({ brokers: localServices().kafkaBrokers, clientId: 'bus-spec' }),
        {
          topicPartitions: 3,
          replicationFactor: 1,
        },
      );
      const topic = uniqueName('bus-events');
      const other = uniqueName('bus-dlq');
      try {
        await Promise.all(
          Array.from({ length: 40 }, (_, caller) =>
            bus.publish(
              [
                {
                  topic,
                  messages: Array.from({ length: 5 }, (_, i) => ({
                    key: `k${i}`,
                    value: `${caller}:${i}`,
                    headers: {},
                  })),
                },
                {
                  topic: other,
                  messages: [{ key: 'x', value: String(caller), headers: { reason: 'test' } }],
                },
              ],
              { timeoutMs: 30_000 },
            ),
          ),
        );
        const values = (await readTopic(topic, 200)).map((m) => m.value);
        expect(new Set(values).size).toBe(200);
        const dlq = await readTopic(other, 40);
        expect(dlq[0].headers).toEqual({ reason: 'test' });
      } finally {
        await bus.close();
      }
    });

    it('writes uncompressed batches when compression is none', async () => {
      const bus = new KafkaEventBus(
        createKafka({ brokers: localServices().kafkaBrokers, clientId: 'bus-spec' }),
        { topicPartitions: 1, replicationFactor: 1, compression: 'none' },
      );
      const topic = uniqueName('bus-plain');
      try {
        await bus.publish(
          [{ topic, messages: [{ key: 'k', value: '{"a":1}', headers: { schema: 's@1' } }] }],
          { timeoutMs: 30_000 },
        );
        const [message] = await readTopic(topic, 1);
        expect(message).toMatchObject({ key: 'k', value: '{"a":1}', headers: { schema: 's@1' } });
      } finally {
        await bus.close();
      }
    });

    it('gives up after the timeout with a retriable error when no broker answers', async () => {
      const bus = new KafkaEventBus(
        createKafka({
          brokers: ['127.0.0.1:1'],
          clientId: 'bus-spec',
          logLevel: 'nothing',
          connectionTimeoutMs: 200,
        }),
        {
          topicPartitions: 1,
          replicationFactor: 1,
        },
      );
      const started = Date.now();
      const failure = bus.publish(
        [{ topic: uniqueName('nowhere'), messages: [{ key: 'k', value: 'v', headers: {} }] }],
        { timeoutMs: 500 },
      );
      await expect(failure).rejects.toBeInstanceOf(BusUnavailableError);
      await expect(failure).rejects.toMatchObject({ retryAfterSeconds: 1 });
      expect(Date.now() - started).toBeLessThan(5_000);
      await bus.close().catch(() => undefined);
    });
  });
});
