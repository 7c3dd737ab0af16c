import type { StoredEvent } from '@tributary/contracts';
import { createMetadataDataSource } from '@tributary/metadata';
import { SchemaRegistry } from '@tributary/registry';
import { readTopic, uniqueName } from '@tributary/testing';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type IngestFixture, startIngestFixture } from './ingest.fixture';

const replayJs = join(__dirname, '..', '..', 'dist', 'replay.js');

/** The DLQ replay CLI (built) against the real Kafka and Postgres: fix, replay, replay again. */
describe('DLQ replay', () => {
  let fixture: IngestFixture;

  beforeAll(async () => {
    if (!existsSync(replayJs))
      throw new Error(`${replayJs} is missing: run \`npx nx build ingest-api\``);
    fixture = await startIngestFixture('ingest_replay', { 'order.placed': { type: 'object' } });
  }, 60_000);

  afterAll(() => fixture?.close());

  const replay = async (group: string) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [replayJs, '--group', group, '--from-beginning', '--idle-seconds', '3'],
      {
        env: { PATH: process.env.PATH, ...fixture.env },
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      replayed: number;
      read: number;
      stillRefused: Record<string, number>;
    };
  };

  it('republishes refused events once their schema exists, with the same event ids, and only once', async () => {
    const event = (type: string) => ({
      type,
      occurred_at: '2026-11-26T10:00:00Z',
      properties: { path: '/' },
    });
    const response = await fetch(`${fixture.service.url}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fixture.key}`,
        'content-type': 'application/json',
        'idempotency-key': uniqueName('req'),
      },
      body: JSON.stringify([
        event('page.viewed'),
        event('order.placed'),
        event('page.viewed'),
        event('cart.abandoned'),
      ]),
    });
    expect(response.status).toBe(207);
    const results = (
      (await response.json()) as { results: Array<{ event_id: string; status: string }> }
    ).results;
    const refusedIds = [results[0].event_id, results[2].event_id];

    const metadata = await createMetadataDataSource({
      url: fixture.database.url,
      poolSize: 1,
    }).initialize();
    try {
      await new SchemaRegistry(metadata).register('page.viewed', {
        type: 'object',
        properties: { path: { type: 'string' } },
      });
    } finally {
      await metadata.destroy();
    }

    const group = uniqueName('replay');
    expect(await replay(group)).toMatchObject({
      read: 3,
      replayed: 2,
      stillRefused: { unknown_type: 1 },
    });

    const stored = (await readTopic(fixture.eventsTopic, 3)).map(
      (m) => JSON.parse(m.value) as StoredEvent,
    );
    const replayed = stored.filter((e) => e.type === 'page.viewed');
    expect(replayed.map((e) => e.event_id).sort()).toEqual([...refusedIds].sort());
    expect(replayed[0]._source).toBe('ingest-replay');

    expect(await replay(group)).toMatchObject({ read: 0, replayed: 0 });
  }, 90_000);
});
