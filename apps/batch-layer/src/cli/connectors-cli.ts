import { parseArgs } from 'node:util';
import type {
  ConnectorRun,
  ConnectorState,
  PullProgress,
  RunRequest,
  RunResult,
} from '@tributary/connectors';
import type { CliIo } from './batch-cli';

/** What the CLI needs of the connectors (the real ones in connectors.ts, fakes in its spec). */
export interface ConnectorsCliContext {
  names: readonly string[];
  run(name: string, request: RunRequest): Promise<RunResult>;
  state(name: string): Promise<{ state: ConnectorState | undefined; runs: ConnectorRun[] }>;
  reset(name: string): Promise<void>;
  /** Asks the operator; false when there is no one to ask (not a terminal). */
  confirm(question: string): Promise<boolean>;
}

export const CONNECTORS_USAGE = `usage: connectors <command>
  run <name>                       pull now (incremental from the watermark), with progress
  state <name>                     watermark, last success and recent runs
  reset <name> [--yes]             forget the watermark, published ids and processed files: the
                                   next run reads the whole source again (asks unless --yes)
  backfill <name> --from V --to V  publish the rows with watermark in [from, to) again (consumers
                                   drop copies by event_id); the watermark does not move`;

/** Runs one CLI command; returns the exit code (0 ok, 1 the run failed, 2 usage). */
export async function connectorsCli(
  argv: readonly string[],
  io: CliIo,
  context: ConnectorsCliContext,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, name] = positionals;
  if (values.help || command === undefined) {
    io.out(CONNECTORS_USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!['run', 'state', 'reset', 'backfill'].includes(command)) {
    return usage(io, `unknown command '${command}'`);
  }
  if (name === undefined || !context.names.includes(name)) {
    return usage(
      io,
      `unknown connector '${name ?? ''}' (configured: ${context.names.join(', ') || 'none'})`,
    );
  }
  switch (command) {
    case 'run':
      return run(io, context, name, { mode: 'manual' });
    case 'backfill':
      if (values.from === undefined || values.to === undefined)
        return usage(io, 'backfill needs --from and --to (watermark values)');
      return run(io, context, name, {
        mode: 'backfill',
        range: { from: values.from, to: values.to },
      });
    case 'state': {
      const { state, runs } = await context.state(name);
      io.out(
        `${name}: watermark ${state?.watermark ? `${state.watermark.value} (tie-breaker ${state.watermark.tieBreaker})` : '—'}` +
          `, last success ${state?.lastSuccessAt?.toISOString() ?? 'never'}`,
      );
      printRuns(io, runs);
      return 0;
    }
    default: {
      const sure =
        values.yes ||
        (await context.confirm(
          `Reset ${name}? Its next run reads the whole source again (type yes): `,
        ));
      if (!sure) {
        io.err(`${name} not reset (confirm interactively or pass --yes)`);
        return 2;
      }
      await context.reset(name);
      io.out(`${name}: watermark, published ids and processed files forgotten`);
      return 0;
    }
  }
}

async function run(
  io: CliIo,
  context: ConnectorsCliContext,
  name: string,
  request: Omit<RunRequest, 'onProgress' | 'onRetry'>,
): Promise<number> {
  const now = io.now ?? (() => performance.now());
  const started = now();
  try {
    const result = await context.run(name, {
      ...request,
      onProgress: (progress) => io.out(`${name}: ${progressLine(progress, now() - started)}`),
      onRetry: ({ attempt, delayMs }) =>
        io.err(`${name}: attempt ${attempt} failed to reach the source; retrying in ${delayMs} ms`),
    });
    io.out(
      `${name}: run ${result.runId} read ${result.read}, published ${result.published}, ` +
        `rejected ${result.rejected}, skipped ${result.skipped} in ${seconds(result.durationMs)}; ` +
        `watermark ${result.watermarkBefore ?? '—'} → ${result.watermarkAfter ?? '—'}`,
    );
    return 0;
  } catch (error) {
    io.err(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** `[#########···········]  45% 450/1000, 2.1 s, ETA 2.6 s` (no bar when the total is unknown). */
export function progressLine(progress: PullProgress, elapsedMs: number): string {
  const { done, total } = progress;
  if (total === undefined || total === 0) return `${done} done, ${seconds(elapsedMs)}`;
  const share = Math.min(1, done / total);
  const width = 20;
  const filled = Math.round(share * width);
  const eta = done > 0 ? ((total - done) * elapsedMs) / done : undefined;
  return (
    `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ` +
    `${done}/${total}, ${seconds(elapsedMs)}${eta === undefined ? '' : `, ETA ${seconds(eta)}`}`
  );
}

function printRuns(io: CliIo, runs: readonly ConnectorRun[]): void {
  if (runs.length === 0) {
    io.out('no runs yet');
    return;
  }
  io.out(
    [
      'started',
      'mode',
      'status',
      'attempts',
      'read',
      'published',
      'rejected',
      'skipped',
      'watermark after',
      'ms',
      'error',
    ].join('\t'),
  );
  for (const run of runs) {
    io.out(
      [
        run.startedAt.toISOString(),
        run.mode,
        run.status,
        run.attempts,
        run.read,
        run.published,
        run.rejected,
        run.skipped,
        run.watermarkAfter ?? '',
        run.durationMs ?? '',
        run.error ?? '',
      ].join('\t'),
    );
  }
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

function usage(io: CliIo, message: string): number {
  io.err(message);
  io.err(CONNECTORS_USAGE);
  return 2;
}
