import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DlqRecord, StoredEvent } from '@tributary/contracts';
import {
  readTopic,
  type S3Server,
  startS3Server,
  type TempDir,
  uniqueName,
  workspaceTempDir,
} from '@tributary/testing';
import { createWarehouseClient } from '@tributary/warehouse';
import { parseConnector } from '../config/parse-connector';
import { Connectors } from '../connectors';
import { type ConnectorFixture, connectorFixture } from '../testing/connector-fixture';
import {
  DROP_CSV as CSV,
  DROP_JSONL_GOOD as JSONL,
  DROP_SCHEMA,
  dropParquetInsert,
} from '../testing/drop-files';

describe('files connector on an S3 prefix (real Postgres, Kafka, chDB and a moto S3 server)', () => {
  let fx: ConnectorFixture;
  let s3: S3Server;
  let client: S3Client;
  let chdb: TempDir;
  let warehouse: ReturnType<typeof createWarehouseClient>;
  const bucket = uniqueName('drops').replace(/_/g, '-');

  beforeAll(async () => {
    s3 = await startS3Server();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: s3.credentials,
      forcePathStyle: true,
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    fx = await connectorFixture('conn_s3');
    await fx.registry.register('drops.row', DROP_SCHEMA);
    chdb = workspaceTempDir('conn-s3-chdb');
    warehouse = createWarehouseClient({ kind: 'embedded', path: chdb.path });
  }, 300_000);

  afterAll(async () => {
    client?.destroy();
    await warehouse?.close();
    await fx?.close();
    await s3?.stop();
    chdb?.remove();
  });

  const put = (key: string, body: string | Buffer) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  const connectorsFor = (format: string, pattern: string) =>
    new Connectors(
      [
        parseConnector(
          `connector: s3_${format}
event_type: drops.row
primary_key: [id]
occurred_at: ts
files: { location: 's3://${bucket}/incoming/', format: ${format}, pattern: "${pattern}" }
`,
          `s3_${format}.yaml`,
        ),
      ],
      {
        db: fx.db,
        bus: fx.bus,
        schemas: fx.registry,
        publish: fx.publish,
        warehouse: { client: warehouse, location: { kind: 'local', root: chdb.path } },
        s3: { endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials },
      },
    );
  const eventsOn = async (count: number) =>
    (await readTopic(fx.topics.eventsTopic, count)).map((m) => JSON.parse(m.value) as StoredEvent);
  const dlqOn = async (count: number) =>
    (await readTopic(fx.topics.dlqTopic, count)).map((m) => JSON.parse(m.value) as DlqRecord);

  it('publishes the good rows of the objects under the prefix, sends the bad ones to the DLQ with line and reason, skips unchanged objects and reads a changed one again', async () => {
    await put('incoming/orders-1.csv', CSV);
    await put('incoming/orders-2.jsonl', JSONL);
    // Not under the prefix's own level, or outside it: not read.
    await put('incoming/archive/old.csv', CSV);
    await put('elsewhere/orders-9.csv', CSV);

    const csv = connectorsFor('csv', '*.csv');
    expect(await csv.run('s3_csv', { mode: 'manual' })).toMatchObject({
      read: 4,
      published: 2,
      rejected: 2,
      skipped: 0,
    });
    const jsonl = connectorsFor('jsonl', '*.jsonl');
    expect(await jsonl.run('s3_jsonl', { mode: 'manual' })).toMatchObject({
      read: 2,
      published: 2,
      rejected: 0,
    });

    const events = await eventsOn(4);
    expect(events.map((e) => e.properties.id).sort()).toEqual([1, 4, 5, 6]);
    expect(events.find((e) => e.properties.id === 4)).toMatchObject({
      type: 'drops.row',
      occurred_at: '2026-11-20T10:00:03.000Z',
      _source: 'connector:s3_csv',
      properties: { id: 4, name: 'd', amount: 40, ts: '2026-11-20T10:00:03Z' },
    });
    const dlq = await dlqOn(2);
    expect(
      dlq
        .map((r) => [r.origin?.file, r.origin?.line, r.reason, r.errors[0].pointer])
        .sort((a, b) => Number(a[1]) - Number(b[1])),
    ).toEqual([
      [`s3://${bucket}/incoming/orders-1.csv`, 3, 'malformed_row', ''],
      [`s3://${bucket}/incoming/orders-1.csv`, 4, 'schema_violation', '/properties/amount'],
    ]);
    expect(dlq.find((r) => r.origin?.line === 3)?.original).toBe('2,b,20');

    // Run again, and the same content uploaded again (same ETag): skipped, nothing more published.
    await put('incoming/orders-1.csv', CSV);
    expect(await csv.run('s3_csv', { mode: 'manual' })).toMatchObject({
      read: 0,
      published: 0,
      skipped: 1,
    });
    expect(await jsonl.run('s3_jsonl', { mode: 'manual' })).toMatchObject({ read: 0, skipped: 1 });
    expect(await fx.recordsOn(fx.topics.eventsTopic)).toBe(4);
    expect(await fx.recordsOn(fx.topics.dlqTopic)).toBe(2);

    // Other content of the same size under the same key (only the ETag tells): read again.
    const changed = CSV.replace('4,d,40,', '4,d,41,');
    expect(changed.length).toBe(CSV.length);
    await put('incoming/orders-1.csv', changed);
    expect(await csv.run('s3_csv', { mode: 'manual' })).toMatchObject({
      read: 4,
      published: 2,
      rejected: 2,
      skipped: 0,
    });
    const after = await eventsOn(6);
    expect(after.map((e) => e.properties.id).sort()).toEqual([1, 1, 4, 4, 5, 6]);
    // Both versions of row 4, in whatever order the topic's partitions are read back.
    expect(
      after
        .filter((e) => e.properties.id === 4)
        .map((e) => e.properties.amount)
        .sort(),
    ).toEqual([40, 41]);
    expect(await fx.recordsOn(fx.topics.dlqTopic)).toBe(4);
  });

  it('reads a Parquet object through the warehouse', async () => {
    const local = resolve(chdb.path, 'orders-3.parquet');
    await warehouse.command({
      query: dropParquetInsert(local),
    });
    await put('incoming/orders-3.parquet', readFileSync(local));
    const parquet = connectorsFor('parquet', '*.parquet');
    expect(await parquet.run('s3_parquet', { mode: 'manual' })).toMatchObject({
      read: 2,
      published: 1,
      rejected: 1,
    });
    const dlq = await dlqOn(await fx.recordsOn(fx.topics.dlqTopic));
    expect(
      dlq
        .filter((r) => r.origin?.file?.endsWith('.parquet'))
        .map((r) => [r.origin?.file, r.origin?.line, r.reason]),
    ).toEqual([[`s3://${bucket}/incoming/orders-3.parquet`, 2, 'invalid_timestamp']]);
  });
});
