import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DlqRecord, StoredEvent } from '@tributary/contracts';
import { readTopic, tempDir, type TempDir, workspaceTempDir } from '@tributary/testing';
import { createWarehouseClient } from '@tributary/warehouse';
import { parseConnector } from '../config/parse-connector';
import { Connectors } from '../connectors';
import { type ConnectorFixture, connectorFixture } from '../testing/connector-fixture';
import {
  DROP_CSV as CSV,
  DROP_JSONL as JSONL,
  DROP_SCHEMA,
  dropParquetInsert,
} from '../testing/drop-files';

describe('files connector (real Postgres, Kafka and chDB)', () => {
  let fx: ConnectorFixture;
  let folder: TempDir;
  let chdb: TempDir;
  let client: ReturnType<typeof createWarehouseClient>;

  beforeAll(async () => {
    fx = await connectorFixture('conn_files');
    await fx.registry.register('drops.row', DROP_SCHEMA);
    folder = workspaceTempDir('conn-drops');
    chdb = tempDir('conn-files-chdb');
    client = createWarehouseClient({ kind: 'embedded', path: chdb.path });
  });

  afterAll(async () => {
    await client?.close();
    await fx?.close();
    folder?.remove();
    chdb?.remove();
  });

  const connectorsFor = (format: string, pattern: string) =>
    new Connectors(
      [
        parseConnector(
          `connector: drops_${format}
event_type: drops.row
primary_key: [id]
occurred_at: ts
files: { location: ${folder.path}, format: ${format}, pattern: "${pattern}" }
`,
          `drops_${format}.yaml`,
        ),
      ],
      {
        db: fx.db,
        bus: fx.bus,
        schemas: fx.registry,
        publish: fx.publish,
        warehouse: { client, location: { kind: 'local', root: folder.path } },
      },
    );

  it('publishes the good rows of CSV, JSON-lines and Parquet files, sends the bad ones to the DLQ with line and reason, and skips a file dropped again', async () => {
    writeFileSync(join(folder.path, 'orders-1.csv'), CSV);
    writeFileSync(join(folder.path, 'orders-2.jsonl'), JSONL);
    await client.command({
      query: dropParquetInsert(resolve(folder.path, 'orders-3.parquet')),
    });

    const csv = connectorsFor('csv', '*.csv');
    expect(await csv.run('drops_csv', { mode: 'manual' })).toMatchObject({
      read: 4,
      published: 2,
      rejected: 2,
      skipped: 0,
    });
    const jsonl = connectorsFor('jsonl', '*.jsonl');
    expect(await jsonl.run('drops_jsonl', { mode: 'manual' })).toMatchObject({
      read: 3,
      published: 2,
      rejected: 1,
    });
    const parquet = connectorsFor('parquet', '*.parquet');
    expect(await parquet.run('drops_parquet', { mode: 'manual' })).toMatchObject({
      read: 2,
      published: 1,
      rejected: 1,
    });

    const events = (await readTopic(fx.topics.eventsTopic, 5)).map(
      (m) => JSON.parse(m.value) as StoredEvent,
    );
    expect(events.map((e) => e.properties.id).sort()).toEqual([1, 4, 5, 6, 7]);
    expect(events.find((e) => e.properties.id === 4)).toMatchObject({
      type: 'drops.row',
      occurred_at: '2026-11-20T10:00:03.000Z',
      _source: 'connector:drops_csv',
      properties: { id: 4, name: 'd', amount: 40, ts: '2026-11-20T10:00:03Z' },
    });

    const dlq = (await readTopic(fx.topics.dlqTopic, 4)).map(
      (m) => JSON.parse(m.value) as DlqRecord,
    );
    const where = dlq
      .map((r) => [r.origin?.file?.split('/').pop(), r.origin?.line, r.reason, r.errors[0].pointer])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(where).toEqual([
      ['orders-1.csv', 3, 'malformed_row', ''],
      ['orders-1.csv', 4, 'schema_violation', '/properties/amount'],
      ['orders-2.jsonl', 2, 'invalid_json', ''],
      ['orders-3.parquet', 2, 'invalid_timestamp', '/occurred_at'],
    ]);
    expect(dlq.find((r) => r.origin?.line === 3)?.errors[0].message).toMatch(
      /Invalid Record Length/,
    );
    expect(dlq.find((r) => r.origin?.line === 3)?.original).toBe('2,b,20');

    // The same file dropped again: skipped, nothing more on either topic.
    writeFileSync(join(folder.path, 'orders-1.csv'), CSV);
    expect(await csv.run('drops_csv', { mode: 'manual' })).toMatchObject({
      read: 0,
      published: 0,
      skipped: 1,
    });
    expect(await fx.recordsOn(fx.topics.eventsTopic)).toBe(5);
    expect(await fx.recordsOn(fx.topics.dlqTopic)).toBe(4);

    // Changed content under the same name is a new file.
    writeFileSync(join(folder.path, 'orders-1.csv'), `${CSV}9,i,90,2026-11-20T10:00:09Z\n`);
    expect(await csv.run('drops_csv', { mode: 'manual' })).toMatchObject({
      read: 5,
      published: 3,
      rejected: 2,
    });
  });
});
