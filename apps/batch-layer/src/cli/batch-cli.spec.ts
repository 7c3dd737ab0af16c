import type { BatchRun, RunOutcome, RunRequest } from '@tributary/lake';
import { DEFAULT_VIEWS } from '@tributary/views';
import { batchCli, type BatchCliContext } from './batch-cli';

function fakeRun(request: RunRequest, status: BatchRun['status'] = 'published'): BatchRun {
  return {
    runId: `${request.view.name}@1`,
    view: request.view.name,
    mode: request.mode ?? 'incremental',
    cut: new Date('2026-11-26T10:00:00Z'),
    previousCut: null,
    status,
    touchedDays: ['2026-11-25'],
    inputSnapshotId: '11',
    outputSnapshotId: '22',
    inputRows: 100,
    outputRows: 7,
    checks:
      status === 'blocked'
        ? [
            {
              name: 'dq:view_suites',
              severity: 'error',
              passed: false,
              observed: 'bad',
              expected: 'good',
            },
          ]
        : [],
    error: null,
    startedAt: new Date('2026-11-26T10:01:00Z'),
    finishedAt: new Date('2026-11-26T10:01:02Z'),
    durationMs: 2000,
  };
}

/** A fake of our own BatchCliContext port; the real one is exercised by the service tests. */
function context(blocked: string[] = []) {
  const requests: RunRequest[] = [];
  const ctx: BatchCliContext = {
    views: DEFAULT_VIEWS,
    run: async (request, onStep) => {
      requests.push(request);
      onStep('staged 100 distinct event(s)');
      const blockedView = blocked.includes(request.view.name);
      return {
        run: fakeRun(request, blockedView ? 'blocked' : 'published'),
        published: !blockedView,
        repeated: false,
      } satisfies RunOutcome;
    },
    runs: async (view) =>
      DEFAULT_VIEWS.filter((v) => !view || v.name === view).map((v) => fakeRun({ view: v })),
  };
  return { ctx, requests };
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  let t = 0;
  return {
    out,
    err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), now: () => (t += 500) },
  };
}

describe(batchCli.name, () => {
  it('backfills a day range for every view with progress and an ETA', async () => {
    const { ctx, requests } = context();
    const o = io();
    const code = await batchCli(
      ['run', 'all', '--from', '2026-11-01', '--to', '2026-11-03'],
      o.io,
      ctx,
    );
    expect(code).toBe(0);
    expect(requests.map((r) => [r.mode, r.days])).toEqual(
      DEFAULT_VIEWS.map(() => ['range', { from: '2026-11-01', to: '2026-11-03' }]),
    );
    expect(o.out[0]).toMatch(
      /^\[1\/5\] events_by_type_source: staged 100 distinct event\(s\) \(\d+\.\d s\)$/,
    );
    expect(o.out.some((l) => /^\[2\/5\] .*, ETA \d+\.\d s\)$/.test(l))).toBe(true);
    expect(o.out.at(-1)).toMatch(/^5\/5 view\(s\) published in /);
  });

  it('exits 1 and names the failed check when a publish is blocked', async () => {
    const { ctx } = context(['revenue_by_currency']);
    const o = io();
    expect(await batchCli(['run', 'revenue_by_currency', '--full'], o.io, ctx)).toBe(1);
    expect(o.out).toContainEqual(expect.stringMatching(/revenue_by_currency: BLOCKED/));
    expect(o.err).toEqual([
      '[1/1] revenue_by_currency: check dq:view_suites failed: bad (expected good)',
    ]);
  });

  it('refuses unknown views and contradictory flags with the reason', async () => {
    const { ctx } = context();
    const o = io();
    expect(await batchCli(['run', 'nope'], o.io, ctx)).toBe(2);
    expect(o.err[0]).toMatch(/unknown view 'nope' \(views: all, events_by_type_source/);
    expect(await batchCli(['run', 'all', '--full', '--from', 'x', '--to', 'y'], o.io, ctx)).toBe(2);
    expect(await batchCli(['run', 'all', '--from', '2026-11-01'], o.io, ctx)).toBe(2);
    expect(o.err.at(-1)).toMatch(/--from and --to go together/);
  });

  it('restages the shared distinct events once, for the first view of a full rebuild', async () => {
    const { ctx, requests } = context();
    const o = io();
    expect(await batchCli(['run', 'all', '--full', '--restage'], o.io, ctx)).toBe(0);
    expect(requests.map((r) => [r.mode, r.restage])).toEqual(
      DEFAULT_VIEWS.map((_, i) => ['full', i === 0]),
    );
    expect(await batchCli(['run', 'all', '--restage'], o.io, ctx)).toBe(2);
    expect(o.err.at(-1)).toMatch(/--restage goes with --full/);
  });

  it('lists runs and shows a view lineage with snapshots and rows', async () => {
    const { ctx } = context();
    const o = io();
    expect(await batchCli(['runs', '--limit', '2'], o.io, ctx)).toBe(0);
    expect(o.out[0]).toBe('started\tview\tstatus\tmode\tcut\trows in\trows out\tms');
    expect(await batchCli(['lineage', 'signups_by_plan'], o.io, ctx)).toBe(0);
    expect(o.out.join('\n')).toMatch(
      /input snapshot 11 \(100 events\) → output snapshot 22 \(7 rows\)/,
    );
  });
});
