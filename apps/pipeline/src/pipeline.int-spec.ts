import { join } from 'node:path';
import {
  freePort,
  type ServiceProcess,
  spawnService,
  waitFor,
  workspaceTempDir,
  type TempDir,
} from '@tributary/testing';
import { dataFolder } from './data-folder';
import { type DemoCredentials, readCredentials } from './demo-credentials';
import { demoTraffic, type PostedEvent } from './demo-traffic';

/**
 * The README's main command as a user runs it: the built one-process pipeline as a child process
 * on free ports, with no outside service at all (embedded log, PGlite, chDB, local lake).
 */
const MAIN = join(__dirname, '..', 'dist', 'main.js');
const DAY = 86_400_000;
const RANGE = {
  from: new Date(Math.floor(Date.now() / DAY - 4) * DAY).toISOString(),
  to: new Date(Math.floor(Date.now() / DAY + 1) * DAY).toISOString(),
};

interface Pipeline {
  process: ServiceProcess;
  urls: Record<string, string>;
}

describe('npm start (apps/pipeline)', () => {
  let folder: TempDir;
  let env: NodeJS.ProcessEnv;
  let pipeline: Pipeline | undefined;
  let credentials: DemoCredentials;

  beforeAll(async () => {
    folder = workspaceTempDir('pipeline');
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    env = {
      TRIBUTARY_DATA_DIR: folder.path,
      TRIBUTARY_INGEST_API_PORT: String(ports[0]),
      TRIBUTARY_SERVING_API_PORT: String(ports[1]),
      TRIBUTARY_SPEED_LAYER_PORT: String(ports[2]),
      TRIBUTARY_BATCH_LAYER_PORT: String(ports[3]),
      TRIBUTARY_HOST: '127.0.0.1',
      // Lake commits and batch cuts close behind the traffic, so a test run sees them quickly.
      TRIBUTARY_BATCH_COMMIT_INTERVAL: '1s',
      TRIBUTARY_BATCH_CUT_LAG: '5s', // the least it may be: the ingest publish timeout
    };
    pipeline = await start();
    const file = readCredentials(dataFolder(env).credentials);
    if (!file) throw new Error('no credentials file after the first start');
    credentials = file;
  }, 180_000);

  afterAll(async () => {
    if (pipeline) {
      pipeline.process.child.kill('SIGKILL');
      await pipeline.process.exited;
    }
    folder?.remove();
  });

  async function start(): Promise<Pipeline> {
    const child = spawnService(MAIN, env);
    try {
      const line = await Promise.race([
        child.waitForLine((l) => l.event === 'pipeline.started', 150_000),
        child.exited.then(({ code, signal }) => {
          throw new Error(`exited during start (${signal ?? `code ${code}`})`);
        }),
      ]);
      return { process: child, urls: line.urls as Record<string, string> };
    } catch (error) {
      child.child.kill('SIGKILL');
      throw new Error(
        `pipeline did not start: ${String(error)}\n${JSON.stringify(child.stderr.slice(-5))}`,
      );
    }
  }

  async function stop(signal: NodeJS.Signals): Promise<number | null> {
    const running = pipeline;
    pipeline = undefined;
    if (!running) return null;
    running.process.child.kill(signal);
    return (await running.process.exited).code;
  }

  const read = () => ({ authorization: `Bearer ${credentials.readToken}` });

  /** The running pipeline's base URL of one service. */
  function url(service: string): string {
    if (!pipeline) throw new Error('the pipeline is not running');
    return pipeline.urls[service];
  }

  /** Posts one batch; resolves with the event ids the API acknowledged. */
  async function post(source: string, events: PostedEvent[]): Promise<string[]> {
    const answer = await fetch(`${url('ingest-api')}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${credentials.sourceKeys[source]}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(events),
    });
    const body = (await answer.json()) as {
      results?: Array<{ status: string; event_id?: string }>;
    };
    if (!body.results) throw new Error(`ingest answered ${answer.status}`);
    return body.results.filter((r) => r.status === 'accepted').map((r) => r.event_id as string);
  }

  async function rows(view: string, dimensions: string[]): Promise<Array<Record<string, unknown>>> {
    const params = new URLSearchParams({
      view,
      grain: 'day',
      dimensions: dimensions.join(','),
      ...RANGE,
    });
    const answer = await fetch(`${url('serving-api')}/v1/query?${params}`, {
      headers: read(),
    });
    const body = (await answer.json()) as { rows?: Array<Record<string, unknown>> };
    if (!body.rows) throw new Error(`query answered ${answer.status}: ${JSON.stringify(body)}`);
    return body.rows;
  }

  async function totalEvents(): Promise<number> {
    return (await rows('events_by_type_source', ['type'])).reduce(
      (n, r) => n + Number(r.events),
      0,
    );
  }

  /** What a BI tool would read: every row of two views, in a stable order. */
  async function numbers() {
    return {
      byTypeAndSource: await rows('events_by_type_source', ['type', 'source']),
      revenue: await rows('revenue_by_currency', ['currency']),
      watermark: (
        (await (await fetch(`${url('serving-api')}/v1/views`, { headers: read() })).json()) as {
          views: Array<{ name: string; batch: unknown }>;
        }
      ).views.map((v) => [v.name, v.batch]),
    };
  }

  it('counts every accepted event once, publishes a batch run, and answers the same after a restart', async () => {
    const accepted = new Set<string>();
    for (const batch of demoTraffic({ events: 600, batchSize: 100, sources: ['web', 'ios'] })) {
      for (const id of await post(batch.source, batch.events)) accepted.add(id);
    }
    expect(accepted.size).toBeGreaterThan(500);
    await waitFor(async () => expect(await totalEvents()).toBe(accepted.size), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });

    const published = await waitFor(
      async () => {
        const answer = await fetch(`${url('batch-layer')}/v1/batch/runs`, {
          method: 'POST',
          headers: { ...read(), 'content-type': 'application/json' },
          body: JSON.stringify({ view: 'all' }),
        });
        const body = (await answer.json()) as { runs: Array<{ view: string; status: string }> };
        expect(body.runs.every((r) => r.status === 'published')).toBe(true);
        return body.runs;
      },
      { timeoutMs: 120_000, intervalMs: 2_000 },
    );
    expect(published).toHaveLength(5);
    const before = await numbers();
    expect(await totalEvents()).toBe(accepted.size);
    expect(before.watermark.every(([, batch]) => batch !== null)).toBe(true);

    expect(await stop('SIGTERM')).toBe(0);
    pipeline = await start();
    expect(await numbers()).toEqual(before);
  }, 360_000);

  it('loses nothing it acknowledged when killed with SIGKILL during traffic', async () => {
    const baseline = await totalEvents();
    const acknowledged = new Set<string>();
    let inFlight = 0;
    const traffic = demoTraffic({ events: 3_000, batchSize: 50, sources: ['backend'] });
    const sending = (async () => {
      for (const batch of traffic) {
        inFlight = batch.events.length;
        try {
          for (const id of await post(batch.source, batch.events)) acknowledged.add(id);
        } catch {
          return; // the process is gone: this batch was never acknowledged
        }
      }
    })();
    await waitFor(() => expect(acknowledged.size).toBeGreaterThan(300), { timeoutMs: 60_000 });
    await stop('SIGKILL');
    await sending;

    pipeline = await start();
    // Everything acknowledged is there exactly once; of the one batch in flight at the kill, any
    // part may have been stored (it was never acknowledged, so a client would retry it).
    await waitFor(
      async () => expect(await totalEvents()).toBeGreaterThanOrEqual(baseline + acknowledged.size),
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const total = await totalEvents();
    expect(total).toBeLessThanOrEqual(baseline + acknowledged.size + inFlight);
  }, 300_000);
});
