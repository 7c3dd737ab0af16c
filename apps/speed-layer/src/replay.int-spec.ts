import { waitFor } from '@tributary/testing';
import { demoEvents } from '@tributary/views';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { metricTotal, SpeedFixture } from './speed.fixture';

const replayJs = join(__dirname, '..', 'dist', 'replay.js');
const HOUR = 3_600_000;

/**
 * The replay CLI against the built speed layer (Kafka → chDB): refused while the group has a
 * member; a replay from the beginning skips everything ClickHouse holds, and a rebuild empties
 * the real-time tables and fills them again from Kafka — either way the views equal a reference
 * computed from the distinct events (10% client retries in the stream).
 */
describe('speed-layer replay CLI', () => {
  let speed: SpeedFixture;

  beforeAll(async () => {
    speed = await SpeedFixture.create('speed-replay-int');
  });

  afterAll(() => speed?.remove());

  const replay = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [replayJs, ...args],
        { env: { PATH: process.env.PATH, ...speed.env() } },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('never double-counts: a replay from the beginning, then a full rebuild', async () => {
    const distinct = demoEvents({
      count: 2000,
      seed: 23,
      ingestedFrom: new Date(Date.now() - 2 * HOUR),
      ingestedSpanMs: HOUR,
    });
    const stream = [...distinct, ...distinct.filter((_, i) => i % 10 === 7)];
    await speed.produce(stream);
    const caughtUp = () =>
      waitFor(async () => expect(await speed.committed()).toBe(stream.length), {
        timeoutMs: 120_000,
        intervalMs: 250,
      });

    const first = await speed.start();
    await caughtUp();
    const refused = await replay('--to-earliest');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/is active .*stop its consumers first/);
    expect(await speed.committed()).toBe(stream.length);
    first.child.kill('SIGTERM');
    await first.exited;
    const reference = await speed.contents(distinct);

    // Replay from the beginning: every record is re-read and skipped by offset.
    const replayed = await replay('--to-earliest');
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({
      group: speed.group,
      partitions: [0, 1, 2].map((partition) => ({ partition, to: '0' })),
      cleared: [],
    });
    expect(await speed.committed()).toBe(0);
    const second = await speed.start();
    await caughtUp();
    const afterReplay = await speed.metrics();
    expect(metricTotal(afterReplay, 'dedup_dropped_total', ['reason', 'offset_range'])).toBe(
      stream.length,
    );
    expect(metricTotal(afterReplay, 'rows_written_total')).toBe(0);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(await speed.contents(distinct)).toEqual(reference);

    // Rebuild: the real-time tables are emptied and filled again from Kafka.
    const rebuilt = await replay('--to-earliest', '--rebuild');
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout).cleared).toEqual(
      expect.arrayContaining([
        'events_rt',
        'events_rt_progress',
        'events_rt_ids',
        'rt_events_by_type_source',
      ]),
    );
    expect((await speed.contents(distinct)).rows).toBe(0);
    const third = await speed.start();
    await caughtUp();
    const afterRebuild = await speed.metrics();
    expect(metricTotal(afterRebuild, 'rows_written_total')).toBe(distinct.length);
    expect(metricTotal(afterRebuild, 'dedup_dropped_total', ['reason', 'event_id'])).toBe(
      stream.length - distinct.length,
    );
    third.child.kill('SIGTERM');
    await third.exited;
    expect(await speed.contents(distinct)).toEqual(reference);
    expect(reference.rows).toBe(distinct.length);
    for (const { view, actual, expected } of reference.views)
      expect({ view, rows: actual }).toEqual({ view, rows: expected });
  }, 300_000);
});
