import { EmbeddedLog } from '@tributary/messaging';
import { waitFor } from '@tributary/testing';
import { demoEvents } from '@tributary/views';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpeedFixture } from './speed.fixture';

const HOUR = 3_600_000;

/**
 * The built speed layer with no Kafka brokers configured: it consumes the embedded log under its
 * data folder (written here beforehand, as the one-process profile's ingest API would), is
 * SIGKILLed mid-stream, restarted, and every default real-time view equals the reference.
 */
describe('speed-layer process on the embedded log', () => {
  let speed: SpeedFixture;

  beforeAll(() => {
    speed = SpeedFixture.embedded('speed-embedded-log');
  });

  afterAll(() => speed?.remove());

  const folder = () => join(speed.dataDir.path, 'log');
  /** The group's committed offsets, summed, from the log's group file. */
  const committed = (): number => {
    try {
      const file = join(folder(), 'groups', `${encodeURIComponent(speed.group)}.json`);
      const offsets = JSON.parse(readFileSync(file, 'utf8')) as Record<
        string,
        Record<string, number>
      >;
      return Object.values(offsets[speed.topic] ?? {}).reduce((a, b) => a + b, 0);
    } catch {
      return 0;
    }
  };

  it('counts every distinct event once across a SIGKILL, without Kafka', async () => {
    const distinct = demoEvents({
      count: 3000,
      seed: 7,
      ingestedFrom: new Date(Date.now() - 2 * HOUR),
      ingestedSpanMs: HOUR,
    });
    const stream = [...distinct, ...distinct.filter((_, i) => i % 10 === 3)];
    const log = await EmbeddedLog.open({ folder: folder(), topicPartitions: 3 });
    for (let start = 0; start < stream.length; start += 100) {
      await log.publish(
        [
          {
            topic: speed.topic,
            messages: stream.slice(start, start + 100).map((e) => ({
              key: e.subject_id ?? e.event_id,
              value: JSON.stringify(e),
              headers: { 'content-type': 'application/json' },
            })),
          },
        ],
        { timeoutMs: 10_000 },
      );
    }
    await log.close();

    const first = await speed.start({
      TRIBUTARY_SPEED_FETCH_BYTES: '2KiB',
      TRIBUTARY_SPEED_RANGE_SIZE: '37',
    });
    expect(readFileSync(join(folder(), 'LOCK'), 'utf8').trim()).toBe(String(first.child.pid));
    await waitFor(() => expect(committed()).toBeGreaterThan(300), {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    first.child.kill('SIGKILL');
    await first.exited;

    // The dead process's lock is taken over by the next one.
    const second = await speed.start({ TRIBUTARY_SPEED_FETCH_BYTES: '64KiB' });
    await waitFor(() => expect(committed()).toBe(stream.length), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    second.child.kill('SIGTERM');
    await expect(second.exited).resolves.toMatchObject({ code: 0 });

    await speed.expectViewsEqualReference(distinct);
  }, 240_000);
});
