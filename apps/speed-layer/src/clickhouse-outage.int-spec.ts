import {
  type ClickHouseHttp,
  localServices,
  startClickHouseHttp,
  waitFor,
} from '@tributary/testing';
import { demoEvents } from '@tributary/views';
import { join } from 'node:path';
import { SpeedFixture } from './speed.fixture';

const HOUR = 3_600_000;

/**
 * The distributed profile's path: the built speed layer writes to ClickHouse over HTTP (a
 * test-owned server answering from chDB). The server goes away mid-stream and comes back: while
 * it is gone nothing is committed; afterwards every distinct event is counted once.
 */
describe('speed-layer with ClickHouse going away', () => {
  let speed: SpeedFixture;
  let clickhouse: ClickHouseHttp;

  beforeAll(async () => {
    speed = await SpeedFixture.create('speed-outage-int');
    clickhouse = await startClickHouseHttp(join(speed.dataDir.path, 'server'));
  });

  afterAll(async () => {
    await clickhouse?.close();
    speed?.remove();
  });

  it('commits nothing while ClickHouse is unreachable, then loses and doubles nothing', async () => {
    const distinct = demoEvents({
      count: 1500,
      seed: 31,
      ingestedFrom: new Date(Date.now() - 2 * HOUR),
      ingestedSpanMs: HOUR,
    });
    const stream = [...distinct, ...distinct.filter((_, i) => i % 10 === 1)];
    const half = 800;
    await speed.produce(stream.slice(0, half));
    const service = await speed.start({
      TRIBUTARY_PROFILE: 'distributed',
      TRIBUTARY_CLICKHOUSE_URL: clickhouse.url,
      TRIBUTARY_POSTGRES_URL: localServices().postgresUrl,
      TRIBUTARY_REDIS_URL: localServices().redisUrl,
      TRIBUTARY_SPEED_RANGE_SIZE: '100',
    });
    await waitFor(async () => expect(await speed.committed()).toBe(half), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });

    await clickhouse.stop();
    await speed.produce(stream.slice(half));
    // The consumer keeps retrying (backoff) — at least three failed writes — committing nothing.
    const failures = () => service.stdout.filter((l) => l.event === 'speed.write_failed').length;
    await waitFor(() => expect(failures()).toBeGreaterThanOrEqual(3), { timeoutMs: 60_000 });
    expect(await speed.committed()).toBe(half);

    await clickhouse.restart();
    await waitFor(async () => expect(await speed.committed()).toBe(stream.length), {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    service.child.kill('SIGTERM');
    await expect(service.exited).resolves.toMatchObject({ code: 0 });

    const { rows, views } = await speed.contents(distinct, { kind: 'http', url: clickhouse.url });
    expect(rows).toBe(distinct.length);
    for (const { view, actual, expected } of views)
      expect({ view, rows: actual }).toEqual({ view, rows: expected });
  }, 240_000);
});
