import { parseArgs } from 'node:util';
import type { BatchRun, RunOutcome, RunRequest } from '@tributary/lake';
import type { ViewDefinition } from '@tributary/views';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  now?: () => number;
}

/** What the CLI needs of the batch layer (the real ones in batch.ts, fakes in its spec). */
export interface BatchCliContext {
  views: readonly ViewDefinition[];
  run(request: RunRequest, onStep: (step: string) => void): Promise<RunOutcome>;
  runs(view: string | undefined, limit: number): Promise<BatchRun[]>;
}

export const USAGE = `usage: batch <command>
  run <view|all> [--full [--restage]] [--from YYYY-MM-DD --to YYYY-MM-DD] [--cut ISO-8601]
      recompute now: incremental by default, --full rebuilds everything, --from/--to rebuilds
      those event days (a backfill); progress per step, ETA across views. --restage first
      rebuilds the staged distinct events from the whole master dataset (after a change to
      staging; otherwise they only grow by what was ingested since the last run)
  runs [--view NAME] [--limit N]    recent runs, newest first
  lineage <view> [--limit N]        published runs of a view: cut, input and output snapshots, rows`;

/** Runs one CLI command; returns the exit code (0 ok, 1 a run failed or was blocked, 2 usage). */
export async function batchCli(
  argv: readonly string[],
  io: CliIo,
  context: BatchCliContext,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      full: { type: 'boolean', default: false },
      restage: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      cut: { type: 'string' },
      view: { type: 'string' },
      limit: { type: 'string', default: '20' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, target] = positionals;
  const limit = Number(values.limit);
  if (values.help || command === undefined) {
    io.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!Number.isInteger(limit) || limit < 1) return usage(io, `--limit must be a positive integer`);
  switch (command) {
    case 'run': {
      const views =
        target === 'all' ? context.views : context.views.filter((v) => v.name === target);
      if (views.length === 0) return usage(io, `unknown view '${target ?? ''}'${known(context)}`);
      if ((values.from === undefined) !== (values.to === undefined))
        return usage(io, '--from and --to go together');
      if (values.full && values.from !== undefined)
        return usage(io, '--full and --from/--to exclude each other');
      if (values.restage && !values.full) return usage(io, '--restage goes with --full');
      const cut = values.cut === undefined ? undefined : new Date(values.cut);
      if (cut && Number.isNaN(cut.getTime()))
        return usage(io, `--cut '${values.cut}' is not a time`);
      return runViews(views, io, context, {
        mode: values.full ? 'full' : values.from ? 'range' : 'incremental',
        days: values.from && values.to ? { from: values.from, to: values.to } : undefined,
        cut,
        restage: values.restage,
      });
    }
    case 'runs':
      printRuns(io, await context.runs(values.view, limit));
      return 0;
    case 'lineage': {
      if (!context.views.some((v) => v.name === target))
        return usage(io, `unknown view '${target ?? ''}'${known(context)}`);
      const published = (await context.runs(target, 1_000))
        .filter((r) => r.status === 'published')
        .slice(0, limit);
      for (const run of published) {
        io.out(
          `${run.runId}\n  cut ${run.cut.toISOString()} (previous ${run.previousCut?.toISOString() ?? '—'}), ${run.mode}` +
            `, days ${run.touchedDays.join(' ') || '—'}\n  input snapshot ${run.inputSnapshotId ?? '—'}` +
            ` (${run.inputRows ?? 0} events) → output snapshot ${run.outputSnapshotId ?? '—'} (${run.outputRows ?? 0} rows)` +
            `\n  checks ${run.checks.filter((c) => c.passed).length}/${run.checks.length} passed, ${run.durationMs ?? '?'} ms`,
        );
      }
      if (published.length === 0) io.out(`no published run of ${target ?? ''} yet`);
      return 0;
    }
    default:
      return usage(io, `unknown command '${command}'`);
  }
}

async function runViews(
  views: readonly ViewDefinition[],
  io: CliIo,
  context: BatchCliContext,
  request: Omit<RunRequest, 'view'>,
): Promise<number> {
  const now = io.now ?? (() => performance.now());
  const started = now();
  let failures = 0;
  for (const [index, view] of views.entries()) {
    const prefix = `[${index + 1}/${views.length}] ${view.name}`;
    const viewStarted = now();
    const eta = () => {
      if (index === 0) return '';
      const perView = (viewStarted - started) / index;
      return `, ETA ${seconds(perView * (views.length - index) - (now() - viewStarted))}`;
    };
    try {
      // The staged events are shared by every view: restage them once, for the first.
      const restage = request.restage === true && index === 0;
      const outcome = await context.run({ ...request, view, restage }, (step) =>
        io.out(`${prefix}: ${step} (${seconds(now() - viewStarted)}${eta()})`),
      );
      if (!outcome.published) failures += 1;
      io.out(
        `${prefix}: ${outcome.repeated ? 'already published' : outcome.published ? 'published' : 'BLOCKED'} ` +
          `${outcome.run.runId} at cut ${outcome.run.cut.toISOString()} in ${seconds(now() - viewStarted)}`,
      );
      for (const check of outcome.run.checks.filter((c) => !c.passed))
        io.err(
          `${prefix}: check ${check.name} failed: ${check.observed} (expected ${check.expected})`,
        );
    } catch (error) {
      failures += 1;
      io.err(`${prefix}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  io.out(
    `${views.length - failures}/${views.length} view(s) published in ${seconds(now() - started)}`,
  );
  return failures === 0 ? 0 : 1;
}

function printRuns(io: CliIo, runs: readonly BatchRun[]): void {
  if (runs.length === 0) {
    io.out('no runs yet');
    return;
  }
  io.out(['started', 'view', 'status', 'mode', 'cut', 'rows in', 'rows out', 'ms'].join('\t'));
  for (const run of runs) {
    io.out(
      [
        run.startedAt.toISOString(),
        run.view,
        run.status,
        run.mode,
        run.cut.toISOString(),
        run.inputRows ?? '',
        run.outputRows ?? '',
        run.durationMs ?? '',
      ].join('\t'),
    );
  }
}

function usage(io: CliIo, problem: string): number {
  io.err(`batch: ${problem}\n${USAGE}`);
  return 2;
}

function known(context: BatchCliContext): string {
  return ` (views: all, ${context.views.map((v) => v.name).join(', ')})`;
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}
