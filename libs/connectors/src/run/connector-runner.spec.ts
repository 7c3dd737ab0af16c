import { parseConnector } from '../config/parse-connector';
import type { RowPublisher } from '../events/row-events';
import type { ConnectorStore, Watermark } from '../store/connector-store';
import { ConnectorError } from './connector-error';
import { ConnectorRunner } from './connector-runner';
import type { Pull, PullContext } from './pull';

const config = parseConnector(`
connector: orders
event_type: orders.row
timeout: 1h
retry: { attempts: 3, backoff: 100ms, max_backoff: 1s }
postgres:
  url_env: URL
  table: orders
  watermark: { column: updated_at, type: timestamp }
  tie_breaker: id
`);

/** A fake of our own store: runs and the state in memory. */
function fakeStore() {
  const finished: Array<{ status: string; watermarkAfter: string | null; error?: string }> = [];
  let watermark: Watermark | undefined = { value: 'w0', tieBreaker: '1' };
  const store = {
    exclusive: <T>(_: string, work: () => Promise<T>) => work(),
    state: async () => ({
      connector: 'orders',
      watermark,
      updatedAt: new Date(),
      lastSuccessAt: undefined,
    }),
    startRun: async () => undefined,
    attempt: async () => undefined,
    finishRun: async (_: string, outcome: (typeof finished)[number]) => {
      finished.push(outcome);
    },
    advance: async (_: string, next: Watermark | undefined) => {
      watermark = next ?? watermark;
    },
  };
  return { store: store as unknown as ConnectorStore, finished };
}

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

function pullFailing(failures: unknown[], after: Watermark = { value: 'w1', tieBreaker: '9' }) {
  const attempts: number[] = [];
  let commits = 0;
  const pull: Pull = {
    attempt: async (ctx: PullContext) => {
      attempts.push(attempts.length + 1);
      const failure = failures.shift();
      if (failure) throw failure;
      ctx.counts.read += 2;
      ctx.counts.published += 2;
      return after;
    },
    commit: async (ctx, watermark) => {
      commits += 1;
      await ctx.store.advance('orders', watermark, { type: 'timestamp', overlap: 0 });
    },
  };
  return { pull, attempts, commits: () => commits };
}

function runner(pull: Pull, store: ConnectorStore, delays: number[]) {
  return new ConnectorRunner({
    store,
    publisher: {} as RowPublisher,
    pullFor: () => pull,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
  });
}

describe(ConnectorRunner.name, () => {
  it('retries connection failures with growing backoff, then commits the watermark', async () => {
    const { store, finished } = fakeStore();
    const { pull, attempts, commits } = pullFailing([refused, refused]);
    const delays: number[] = [];
    const result = await runner(pull, store, delays).run(config, { mode: 'manual' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(delays).toEqual([100, 200]);
    expect(commits()).toBe(1);
    expect(result).toMatchObject({
      attempts: 3,
      read: 2,
      published: 2,
      watermarkBefore: 'w0',
      watermarkAfter: 'w1',
    });
    expect(finished).toEqual([
      expect.objectContaining({ status: 'succeeded', watermarkAfter: 'w1' }),
    ]);
  });

  it('fails after the last attempt without committing: the watermark stays', async () => {
    const { store, finished } = fakeStore();
    const { pull, commits } = pullFailing([refused, refused, refused]);
    const run = runner(pull, store, []).run(config, { mode: 'manual' });
    await expect(run).rejects.toThrow(ConnectorError);
    await expect(run).rejects.toThrow(/failed after 3 attempts: connect ECONNREFUSED/);
    expect(commits()).toBe(0);
    expect(finished).toEqual([
      expect.objectContaining({
        status: 'failed',
        watermarkAfter: 'w0',
        error: 'connect ECONNREFUSED',
      }),
    ]);
  });

  it('does not retry what another attempt cannot fix', async () => {
    const { store } = fakeStore();
    const { pull, attempts } = pullFailing([
      Object.assign(new Error('relation "orders" does not exist'), { code: '42P01' }),
    ]);
    await expect(runner(pull, store, []).run(config, { mode: 'manual' })).rejects.toThrow(
      /after 1 attempt: relation/,
    );
    expect(attempts).toEqual([1]);
  });

  it('gives up at the timeout, also between retries', async () => {
    const { store, finished } = fakeStore();
    const quick = { ...config, timeoutMs: 20 };
    const { pull, attempts, commits } = pullFailing([refused, refused]);
    const slow = new ConnectorRunner({
      store,
      publisher: {} as RowPublisher,
      pullFor: () => pull,
      sleep: () => new Promise(() => undefined), // a backoff longer than the timeout
      random: () => 1,
    });
    await expect(slow.run(quick, { mode: 'manual' })).rejects.toThrow(
      /exceeded its timeout of 20 ms/,
    );
    expect(attempts).toEqual([1]);
    expect(commits()).toBe(0);
    expect(finished[0]).toMatchObject({ status: 'failed', watermarkAfter: 'w0' });
  });
});
