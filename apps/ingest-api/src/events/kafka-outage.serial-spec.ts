import type { StoredEvent } from '@tributary/contracts';
import { readTopic, waitFor } from '@tributary/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type IngestFixture, startIngestFixture } from './ingest.fixture';

const servicesScript = join(__dirname, '..', '..', '..', '..', 'scripts', 'services.sh');
const services = (...args: string[]) => promisify(execFile)('bash', [servicesScript, ...args]);

/**
 * Durable before 202 (ARCHITECTURE §1): with Kafka stopped the API answers 503 with Retry-After
 * within the publish timeout instead of accepting what it cannot store, and every event it did
 * answer as accepted is on the topic once Kafka is back. Stops the shared broker: serial tier.
 */
describe('POST /v1/events while Kafka is down', () => {
  let fixture: IngestFixture;

  beforeAll(async () => {
    fixture = await startIngestFixture(
      'ingest_outage',
      { 'order.placed': { type: 'object' } },
      {
        TRIBUTARY_INGEST_PUBLISH_TIMEOUT: '2s',
      },
    );
  }, 60_000);

  afterAll(async () => {
    await services('up', 'kafka'); // leave the broker running whatever happened
    await fixture?.close();
  }, 180_000);

  const post = (n: number) =>
    fetch(`${fixture.service.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        Array.from({ length: n }, (_, i) => ({
          type: 'order.placed',
          occurred_at: '2026-11-26T10:00:00Z',
          subject_id: `user-${i}`,
          properties: { n: i },
        })),
      ),
    });
  const acceptedIds = async (response: Response) =>
    ((await response.json()) as { results: Array<{ event_id: string }> }).results.map(
      (r) => r.event_id,
    );

  it('answers 503 with Retry-After while Kafka is stopped, and loses nothing it accepted', async () => {
    const before = await post(20);
    expect(before.status).toBe(202);
    const accepted = await acceptedIds(before);

    await services('down', 'kafka');
    const started = Date.now();
    const during = await post(5);
    const waitedMs = Date.now() - started;
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await during.json()).toMatchObject({ error: { code: 'unavailable' } });
    // Bounded by the 2 s publish timeout (plus slack for a loaded machine), not by kafkajs retries.
    expect(waitedMs).toBeLessThan(2_000 + 8_000);

    await services('up', 'kafka');
    const after = await waitFor(
      async () => {
        const response = await post(10);
        if (response.status !== 202) throw new Error(`still ${response.status}`);
        return response;
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    accepted.push(...(await acceptedIds(after)));

    const onTopic = (await readTopic(fixture.eventsTopic, accepted.length, 60_000)).map(
      (m) => (JSON.parse(m.value) as StoredEvent).event_id,
    );
    for (const id of accepted) expect(onTopic).toContain(id);
  });
});
