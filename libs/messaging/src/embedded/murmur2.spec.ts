import { randomBytes } from 'node:crypto';
import { partitionFor } from './murmur2';

// kafkajs' own murmur2, the one its DefaultPartitioner uses (specs may reach the driver).

const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer,
) => number;

describe(partitionFor.name, () => {
  it('puts a key on the partition kafkajs puts it on', () => {
    const keys = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      'subject-42',
      'ü-ключ',
      ...Array.from({ length: 500 }, (_, i) => randomBytes(1 + (i % 40)).toString('hex')),
    ];
    for (const partitions of [1, 3, 6, 7, 64]) {
      for (const key of keys) {
        const kafkajs = (kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % partitions;
        expect([key, partitionFor(key, partitions)]).toEqual([key, kafkajs]);
      }
    }
  });
});
