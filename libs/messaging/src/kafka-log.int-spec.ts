import { localServices } from '@tributary/testing';
import { createKafka } from './kafka-client';
import { KafkaLog } from './kafka-log';
import { describeMessageLogContract } from './message-log.contract';

const open = async () =>
  new KafkaLog(
    createKafka({
      brokers: localServices().kafkaBrokers,
      clientId: 'log-contract',
      logLevel: 'nothing',
    }),
    {
      topicPartitions: 3,
      replicationFactor: 1,
      compression: 'none',
    },
  );

describeMessageLogContract(KafkaLog.name, {
  partitions: 3,
  open,
  reopen: async (log) => {
    await log.close();
    return open();
  },
});
