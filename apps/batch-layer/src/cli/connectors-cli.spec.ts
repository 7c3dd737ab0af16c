import type { RunRequest, RunResult } from '@tributary/connectors';
import { type ConnectorsCliContext, connectorsCli, progressLine } from './connectors-cli';

const result: RunResult = {
  runId: 'run-1',
  correlationId: 'connector:orders:run-1',
  attempts: 1,
  read: 4,
  published: 3,
  rejected: 1,
  skipped: 0,
  watermarkBefore: null,
  watermarkAfter: '2026-11-20 10:00:00+00',
  durationMs: 1_500,
};

function cli(overrides: Partial<ConnectorsCliContext> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const calls: Array<[string, RunRequest | undefined]> = [];
  const context: ConnectorsCliContext = {
    names: ['orders'],
    run: async (name, request) => {
      calls.push([name, request]);
      request.onProgress?.({ done: 2, total: 4 });
      return result;
    },
    state: async () => ({ state: undefined, runs: [] }),
    reset: async (name) => {
      calls.push([`reset ${name}`, undefined]);
    },
    confirm: async () => false,
    ...overrides,
  };
  let t = 0;
  const io = {
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    now: () => (t += 500),
  };
  return { out, err, calls, run: (...argv: string[]) => connectorsCli(argv, io, context) };
}

describe(connectorsCli.name, () => {
  it('runs a connector with progress and reports what the run did', async () => {
    const c = cli();
    expect(await c.run('run', 'orders')).toBe(0);
    expect(c.calls[0][1]?.mode).toBe('manual');
    expect(c.out[0]).toBe('orders: [##########··········]  50% 2/4, 0.5 s, ETA 0.5 s');
    expect(c.out[1]).toBe(
      'orders: run run-1 read 4, published 3, rejected 1, skipped 0 in 1.5 s; watermark — → 2026-11-20 10:00:00+00',
    );
  });

  it('backfills a range and refuses one without both ends', async () => {
    const c = cli();
    expect(await c.run('backfill', 'orders', '--from', '2026-11-01', '--to', '2026-11-02')).toBe(0);
    expect(c.calls[0][1]).toMatchObject({
      mode: 'backfill',
      range: { from: '2026-11-01', to: '2026-11-02' },
    });
    expect(await c.run('backfill', 'orders', '--from', '2026-11-01')).toBe(2);
  });

  it('resets only when confirmed or with --yes', async () => {
    const refused = cli();
    expect(await refused.run('reset', 'orders')).toBe(2);
    expect(refused.calls).toEqual([]);
    const confirmed = cli({ confirm: async () => true });
    expect(await confirmed.run('reset', 'orders')).toBe(0);
    const forced = cli();
    expect(await forced.run('reset', 'orders', '--yes')).toBe(0);
    expect(forced.calls).toEqual([['reset orders', undefined]]);
  });

  it('exits 1 when the run fails and 2 for an unknown connector', async () => {
    const failing = cli({
      run: () => Promise.reject(new Error('orders: run x failed after 3 attempts')),
    });
    expect(await failing.run('run', 'orders')).toBe(1);
    expect(failing.err).toEqual(['orders: orders: run x failed after 3 attempts']);
    const c = cli();
    expect(await c.run('run', 'refunds')).toBe(2);
    expect(c.err[0]).toBe("unknown connector 'refunds' (configured: orders)");
  });
});

describe(progressLine.name, () => {
  it('shows the count alone when the total is unknown', () => {
    expect(progressLine({ done: 7 }, 2_000)).toBe('7 done, 2.0 s');
  });
});
