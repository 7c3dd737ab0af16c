import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import {
  alignCut,
  cutParams,
  servingCopyDdl,
  servingCopyLoadSql,
  finestGrain,
  formatDateTime64,
  type Grain,
  rollupTable,
  servingCopyReadSql,
  servingRollupSql,
  servingTable,
  type ViewDefinition,
} from '@tributary/views';
import { type AuditCheck, auditServingCopy, type AuditContext } from './audit';
import type { BatchRun, BatchStore, CheckResult, RunMode } from './batch-store';
import { countRows, tableExists } from '@tributary/warehouse';
import { currentSnapshot, ICEBERG_WRITE } from './iceberg';
import { repairLakeTable } from './iceberg-repair';
import { icebergEngine, type LakeLocation } from './lake-location';
import type { Lease } from './lease';
import { DISTINCT_TABLE, DistinctEvents, type SnapshotPin } from './distinct-events';
import { eventsStagingDdl, MASTER_TABLE_CH } from './master-dataset';

export interface RunRequest {
  view: ViewDefinition;
  /** `incremental` (default): recompute the event days touched since the published cut. */
  mode?: RunMode;
  /** Ingestion-time cut T_b (minute-aligned); default: as far as the lake is complete. */
  cut?: Date;
  /** For `range`: event days to rebuild, `YYYY-MM-DD`, inclusive. */
  days?: { from: string; to: string };
  /** Stable id (a scheduler's job id): a run that already published is not repeated. */
  runId?: string;
  /**
   * Rebuild the staged distinct events from the whole master dataset first (after a change to
   * staging, or to check it); otherwise they are only advanced by what was ingested since.
   */
  restage?: boolean;
}

export interface RunOutcome {
  run: BatchRun;
  /** False when a check blocked the publish (the previous result stays live). */
  published: boolean;
  /** The run had already published (a repeated job): nothing was done. */
  repeated: boolean;
}

export interface BatchRunnerOptions {
  client: ClickHouseClient;
  store: BatchStore;
  location: LakeLocation;
  /** How far the lake is complete in ingestion time (see lakeCompleteThrough). */
  completeThrough: () => Promise<Date | undefined>;
  /** Extra audits on top of the built-in ones (value ranges, data-quality suites). */
  checks?: readonly AuditCheck[];
  /** Serving copies kept besides the live one, for `as_of` reads. */
  retainCopies?: number;
  onBlocked?: (run: BatchRun, failed: CheckResult[]) => Promise<void> | void;
  /**
   * A lease per view (`view:<name>`), so two runs of one view never overlap (two schedulers, a
   * CLI run beside the service); a run that cannot take it ends with NothingToDoError.
   */
  leaseFor?: (name: string) => Lease;
  /** Progress of a run, one line per step (CLI progress, logs). */
  onStep?: (run: string, step: string) => void;
  /** Awaited after the audit passed, just before publishing (tests hold a run there). */
  beforePublish?: (run: string) => Promise<void>;
}

/** The Iceberg table of a view's batch result: finalized measures, every grain (column `grain`). */
export function lakeViewTable(view: ViewDefinition): string {
  return `view_${view.name}`;
}
/** What ClickHouse calls a view's Iceberg table: `lake_view_<view>`. */
export function lakeViewTableCh(view: ViewDefinition): string {
  return `lake_view_${view.name}`;
}

/** The ClickHouse table of one run's serving copy: `bv_<view>__<hash of run id>`. */
export function runCopyTable(view: ViewDefinition, runId: string): string {
  return `${servingTable(view)}__${createHash('sha256').update(runId).digest('hex').slice(0, 12)}`;
}

/**
 * Recomputes one view's batch result from the master dataset at an ingestion-time cut T_b, with
 * write-audit-publish:
 *
 * 1. **Stage**: the events of the touched event days ingested before T_b, read from a pinned
 *    input snapshot, deduplicated by event_id (first ingested wins), into a MergeTree.
 * 2. **Write**: the run's serving copy (aggregate states; untouched days copied from the live
 *    copy, touched days recomputed), then the view's Iceberg table (finalized, every grain) as a
 *    new snapshot — touched days deleted and rewritten.
 * 3. **Audit**: checks on the new snapshot and copy; an error-severity failure blocks the run —
 *    the live copy and watermark stay as they were, the failure is recorded and alerted.
 * 4. **Publish**: one Postgres transaction points the view at the run's copy and cut (the serving
 *    API reads both from that row, so the swap is atomic), then the ClickHouse view `bv_<view>`
 *    is repointed for direct readers. Idempotent by run id.
 */
export class BatchRunner {
  /** The staging step, shared by every view's runs. */
  private readonly distinct: DistinctEvents;

  constructor(private readonly options: BatchRunnerOptions) {
    const { leaseFor } = options;
    this.distinct = new DistinctEvents({
      client: options.client,
      lease: leaseFor && (() => leaseFor(DISTINCT_LEASE)),
    });
  }

  async run(request: RunRequest): Promise<RunOutcome> {
    const lease = this.options.leaseFor?.(`view:${request.view.name}`);
    if (lease && !(await lease.tryHold())) {
      throw new NothingToDoError(`another run of view '${request.view.name}' is in progress`);
    }
    try {
      return await this.runHolding(request);
    } finally {
      await lease?.release();
    }
  }

  private async runHolding(request: RunRequest): Promise<RunOutcome> {
    const { store } = this.options;
    const view = request.view;
    // A job run again (retry, stalled job) keeps its first attempt's cut, or is done already.
    const previous = request.runId === undefined ? undefined : await store.run(request.runId);
    if (previous?.status === 'published') return { run: previous, published: true, repeated: true };
    const live = await store.watermark(view.name);
    const requestedMode = request.mode ?? 'incremental';
    const mode: RunMode = requestedMode === 'incremental' && !live ? 'full' : requestedMode;
    const cut = previous?.cut ?? (await this.chooseCut(request.cut));
    if (mode === 'incremental' && live && cut.getTime() <= live.cut.getTime()) {
      throw new NothingToDoError(
        `view '${view.name}' is already published at cut ${live.cut.toISOString()}; the lake is ` +
          `complete only through ${cut.toISOString()} — nothing newer to recompute`,
      );
    }
    if (!live && !(await this.anyInput(view, cut))) {
      throw new NothingToDoError(
        `no event of view '${view.name}' was ingested before the cut ${cut.toISOString()}: ` +
          'nothing to publish yet (the real-time view answers meanwhile)',
      );
    }
    const runId = request.runId ?? `${view.name}@${cut.toISOString()}#${Date.now().toString(36)}`;
    await store.start({ runId, view: view.name, mode, cut, previousCut: live?.cut ?? null });
    const step = (name: string) => this.options.onStep?.(runId, name);
    const stage = `stage_${createHash('sha256').update(runId).digest('hex').slice(0, 12)}`;
    const copy = runCopyTable(view, runId);
    const { client } = this.options;
    let tail: string | undefined;
    try {
      const inputSnapshot = await currentSnapshot(client, MASTER_TABLE_CH);
      const pin: Record<string, string> =
        inputSnapshot === undefined ? {} : { iceberg_snapshot_id: inputSnapshot };
      step(`input snapshot ${inputSnapshot ?? '(empty lake)'}`);
      // A full rebuild takes every day: they are read from the stage below, not from the lake.
      let days = mode === 'full' ? [] : await this.touchedDays(mode, request, cut, live?.cut, pin);

      // 1. Stage: the distinct events of those days ingested before the cut.
      tail = await this.stageInput(stage, { cut, pin, mode, days, restage: request.restage, step });
      const inputRows = inputSnapshot === undefined ? 0 : await countRows(client, stage);
      if (mode === 'full') days = await this.eventDays(stage);
      await store.update(runId, { touchedDays: days, inputSnapshotId: inputSnapshot ?? '' });
      step(`staged ${inputRows} distinct event(s) of ${days.length} event day(s)`);

      // 2. Write: the run's serving copy, then the Iceberg snapshot.
      await client.command({ query: `DROP TABLE IF EXISTS ${copy}` });
      await client.command({ query: servingCopyDdl(view, copy) });
      if (mode !== 'full' && live) {
        const liveCopy = runCopyTable(view, live.runId);
        await client.command({
          query: `INSERT INTO ${copy} SELECT * FROM ${liveCopy}
                  WHERE toString(toDate(event_bucket)) NOT IN {days:Array(String)}`,
          query_params: { days },
        });
      }
      await client.command({ query: servingCopyLoadSql(view, { relation: stage, into: copy }) });
      for (const grain of coarserGrains(view)) {
        const rollup = rollupTable(copy, grain);
        await client.command({ query: `DROP TABLE IF EXISTS ${rollup}` });
        await client.command({ query: servingCopyDdl(view, rollup) });
        await client.command({
          query: servingRollupSql(view, grain, { from: copy, into: rollup }),
        });
      }
      const outputSnapshot = await this.writeLakeView(view, copy, mode, days);
      step(`wrote Iceberg snapshot ${outputSnapshot}`);
      const outputRows = await countRows(client, copy);
      await store.update(runId, { inputRows, outputRows, outputSnapshotId: outputSnapshot });

      // 3. Audit.
      const context: AuditContext = {
        client,
        view,
        copy,
        stage,
        lakeTable: lakeViewTableCh(view),
        outputSnapshot,
        days,
        mode,
      };
      const checks = await auditServingCopy(context, this.options.checks ?? []);
      await store.update(runId, { checks });
      const failed = checks.filter((c) => !c.passed && c.severity === 'error');
      if (failed.length > 0) {
        await store.finish(runId, 'blocked', failed.map((c) => c.name).join(', '));
        for (const table of [copy, ...coarserGrains(view).map((g) => rollupTable(copy, g))])
          await client.command({ query: `DROP TABLE IF EXISTS ${table}` });
        const run = await this.recorded(runId);
        step(`blocked by ${failed.map((c) => c.name).join(', ')}`);
        await this.options.onBlocked?.(run, failed);
        return { run, published: false, repeated: false };
      }

      // 4. Publish.
      await this.options.beforePublish?.(runId);
      await store.publish(runId, view.name, cut);
      await client.command({
        query: `CREATE OR REPLACE VIEW ${servingTable(view)} AS SELECT * FROM ${copy}`,
      });
      step(`published at cut ${cut.toISOString()}`);
      await this.dropOldCopies(view);
      return { run: await this.recorded(runId), published: true, repeated: false };
    } catch (error) {
      await store.finish(runId, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      for (const table of [stage, tail]) {
        if (table)
          await client.command({ query: `DROP TABLE IF EXISTS ${table}` }).catch(() => undefined);
      }
    }
  }

  /**
   * Makes `stage` (a view) the run's input: the distinct events ingested before the cut, of
   * `days` unless the run is full. The staged distinct events are first advanced to the cut, or
   * as far as the lake is complete when that is earlier; the rest up to the cut is staged for
   * this run only, into the table returned (the caller drops it).
   */
  private async stageInput(
    stage: string,
    input: {
      cut: Date;
      pin: SnapshotPin;
      mode: RunMode;
      days: readonly string[];
      restage?: boolean;
      step: (name: string) => void;
    },
  ): Promise<string | undefined> {
    const { client } = this.options;
    const { cut, pin, step } = input;
    await client.command({ query: `DROP TABLE IF EXISTS ${stage}` });
    if (pin.iceberg_snapshot_id === undefined) {
      await client.command({ query: eventsStagingDdl(stage, 'MergeTree') }); // an empty lake
      return undefined;
    }
    const complete = await this.options.completeThrough();
    const keep = complete && new Date(Math.min(complete.getTime(), cut.getTime()));
    if (input.restage && !keep) {
      throw new NothingToDoError(
        'cannot restage: the lake does not hold events of every partition yet',
      );
    }
    if (keep) {
      const started = Date.now();
      const staged = input.restage
        ? await this.distinct.restage(keep, pin)
        : await this.distinct.advance(keep, pin);
      if (staged.rows > 0 || input.restage) {
        step(
          `${input.restage ? 'restaged' : 'staged'} ${staged.rows} distinct event(s) ingested ` +
            `${staged.from ? `from ${staged.from.toISOString()} ` : ''}before ` +
            `${staged.to.toISOString()} in ${Date.now() - started} ms`,
        );
      }
    }
    const through = await this.distinct.through();
    const tail =
      through === undefined || through.getTime() < cut.getTime()
        ? await this.distinct.stageTail(through, cut, pin)
        : undefined;
    const onDays =
      input.mode === 'full' ? '' : ` AND toString(toDate(occurred_at)) IN ${dayList(input.days)}`;
    // Never past the mark: rows there may be an append in progress, which the tail holds too.
    const upTo = tail ? (through ?? new Date(0)) : cut;
    const sides = [
      `SELECT * FROM ${DISTINCT_TABLE} WHERE _ingested_at < ${dateTimeLiteral(upTo)}${onDays}`,
      ...(tail ? [`SELECT * FROM ${tail} WHERE 1${onDays}`] : []),
    ];
    await client.command({ query: `CREATE VIEW ${stage} AS ${sides.join('\nUNION ALL\n')}` });
    return tail;
  }

  private async recorded(runId: string): Promise<BatchRun> {
    const run = await this.options.store.run(runId);
    if (run === undefined) throw new Error(`batch run '${runId}' is not recorded`);
    return run;
  }

  private async chooseCut(requested: Date | undefined): Promise<Date> {
    if (requested !== undefined) {
      cutParams(requested); // throws CutAlignmentError for a cut inside a minute
      return requested;
    }
    const complete = await this.options.completeThrough();
    if (complete === undefined) {
      throw new NothingToDoError(
        'the lake does not hold events of every partition yet: no safe cut',
      );
    }
    return alignCut(complete);
  }

  private async touchedDays(
    mode: RunMode,
    request: RunRequest,
    cut: Date,
    liveCut: Date | undefined,
    pin: Record<string, string>,
  ): Promise<string[]> {
    if (mode === 'range') {
      if (!request.days) throw new Error("a 'range' run needs days { from, to }");
      return dayRange(request.days.from, request.days.to);
    }
    const since = mode === 'incremental' && liveCut ? liveCut : new Date(0);
    const result = await this.options.client.query({
      query: `SELECT DISTINCT toString(toDate(occurred_at, 'UTC')) AS day FROM ${MASTER_TABLE_CH}
              WHERE _ingested_at >= {since:DateTime64(3, 'UTC')} AND _ingested_at < {cut:DateTime64(3, 'UTC')}
              ORDER BY day`,
      query_params: {
        since: formatDateTime64(since),
        ...cutParams(cut),
      },
      format: 'JSONEachRow',
      clickhouse_settings: pin,
    });
    return (await result.json<{ day: string }>()).map((row) => row.day);
  }

  /** Rewrites the touched days of the view's Iceberg table; returns the new snapshot id. */
  private async writeLakeView(
    view: ViewDefinition,
    copy: string,
    mode: RunMode,
    days: readonly string[],
  ): Promise<string> {
    const { client, location } = this.options;
    const table = lakeViewTableCh(view);
    const select = view.grains
      .map(
        (grain) =>
          `SELECT '${grain}' AS grain, * FROM (${servingCopyReadSql(view, grain, { table: copy })})`,
      )
      .join('\nUNION ALL\n');
    if (mode !== 'full' && days.length === 0) {
      // No event day changed since the live run: the table stays as it is (a new cut only).
      const unchanged = await currentSnapshot(client, table);
      if (unchanged !== undefined) return unchanged;
    }
    const columns = await this.icebergColumns(select);
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS ${table} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})
              ENGINE = ${icebergEngine(location, lakeViewTable(view))} PARTITION BY grain`,
      clickhouse_settings: ICEBERG_WRITE,
    });
    // A write that changes no row makes no Iceberg snapshot, so only writes that do are awaited:
    // a day touched only by events this view does not select rewrites nothing.
    const onDays = `toString(toDate(bucket, 'UTC')) IN {days:Array(String)}`;
    let before = await currentSnapshot(client, table);
    if (
      before !== undefined &&
      (await this.rowsIn(table, mode === 'full' ? '1' : onDays, { days }))
    ) {
      await client.command({
        query: `ALTER TABLE ${table} DELETE WHERE ${mode === 'full' ? '1' : onDays}`,
        query_params: { days },
        clickhouse_settings: ICEBERG_WRITE,
      });
      before = await newSnapshot(client, table, before);
    }
    const selected = `SELECT ${columns.map((c) => `CAST(${c.name} AS ${c.type})`).join(', ')} FROM (${select})
              WHERE toString(toDate(bucket)) IN {days:Array(String)}`;
    if (!(await this.rowsIn(`(${selected})`, '1', { days }))) {
      if (before !== undefined) return before;
      throw new NothingToDoError(
        `view '${view.name}' selects no event ingested before the cut: nothing to publish yet`,
      );
    }
    await client.command({
      query: `INSERT INTO ${table} ${selected}`,
      query_params: { days },
      clickhouse_settings: ICEBERG_WRITE,
    });
    await repairLakeTable(location, lakeViewTable(view));
    return newSnapshot(client, table, before);
  }

  /** Whether `relation` has a row matching `where` (its parameters in `params`). */
  private async rowsIn(
    relation: string,
    where: string,
    params: Record<string, unknown>,
  ): Promise<boolean> {
    const result = await this.options.client.query({
      query: `SELECT count() AS n FROM (SELECT 1 FROM ${relation} WHERE ${where} LIMIT 1)`,
      query_params: params,
      format: 'JSONEachRow',
    });
    const [{ n }] = await result.json<{ n: string }>();
    return Number(n) > 0;
  }

  /** The select's columns in Iceberg-writable types. */
  private async icebergColumns(select: string): Promise<Array<{ name: string; type: string }>> {
    const result = await this.options.client.query({
      query: `DESCRIBE (${select})`,
      format: 'JSONEachRow',
    });
    const described = await result.json<{ name: string; type: string }>();
    return described.map(({ name, type }) => ({ name, type: icebergColumnType(type) }));
  }

  private async eventDays(stage: string): Promise<string[]> {
    const result = await this.options.client.query({
      query: `SELECT DISTINCT toString(toDate(occurred_at, 'UTC')) AS day FROM ${stage} ORDER BY day`,
      format: 'JSONEachRow',
    });
    return (await result.json<{ day: string }>()).map((row) => row.day);
  }

  /** Whether the lake holds any event the view selects, ingested before `cut`. */
  private async anyInput(view: ViewDefinition, cut: Date): Promise<boolean> {
    if (!(await tableExists(this.options.client, MASTER_TABLE_CH))) return false;
    const ofView = view.eventTypes.length > 0 ? 'AND type IN {types:Array(String)}' : '';
    return this.rowsIn(MASTER_TABLE_CH, `_ingested_at < {cut:DateTime64(3, 'UTC')} ${ofView}`, {
      ...cutParams(cut),
      types: view.eventTypes,
    });
  }

  /**
   * Keeps the live copy, the newest `retainCopies` published ones (for `as_of`) and those of runs
   * still in progress; drops the rest.
   */
  private async dropOldCopies(view: ViewDefinition): Promise<void> {
    const runs = await this.options.store.runs(view.name, 100);
    const keep = new Set(
      [
        ...runs
          .filter((run) => run.status === 'published')
          .slice(0, 1 + (this.options.retainCopies ?? 3)),
        ...runs.filter((run) => run.status === 'running'),
      ].map((run) => runCopyTable(view, run.runId)),
    );
    const result = await this.options.client.query({
      query: `SELECT name FROM system.tables WHERE database = currentDatabase()
              AND startsWith(name, {prefix:String})`,
      query_params: { prefix: `${servingTable(view)}__` },
      format: 'JSONEachRow',
    });
    for (const { name } of await result.json<{ name: string }>()) {
      const copyOf = name.replace(/_(minute|hour|day)$/, '');
      if (!keep.has(name) && !keep.has(copyOf)) {
        await this.options.client.command({ query: `DROP TABLE IF EXISTS ${name}` });
      }
    }
  }
}

/** Nothing to recompute yet (no newer safe cut): not a failure, the next firing tries again. */
export class NothingToDoError extends Error {
  override readonly name = 'NothingToDoError';
}

/** The view's grains coarser than its finest: each gets a roll-up of the serving copy. */
export function coarserGrains(view: ViewDefinition): Grain[] {
  const finest = finestGrain(view);
  return view.grains.filter((grain) => grain !== finest);
}

/** Nearest Iceberg type: no LowCardinality, unsigned or Bool; timestamps in microseconds. */
export function icebergColumnType(type: string): string {
  const nullable = /^Nullable\((.*)\)$/.exec(type);
  if (nullable) return `Nullable(${icebergColumnType(nullable[1])})`;
  const low = /^LowCardinality\((.*)\)$/.exec(type);
  if (low) return icebergColumnType(low[1]);
  if (/^DateTime(64)?\(/.test(type) || type === 'DateTime') return "DateTime64(6, 'UTC')";
  if (type === 'Bool' || /^U?Int(8|16)$/.test(type)) return 'Int32';
  if (/^UInt(32|64)$/.test(type) || type === 'Int32') return 'Int64';
  return type;
}

/** The lease that serializes growing the staged distinct events across processes. */
export const DISTINCT_LEASE = 'stage:events_distinct';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A ClickHouse array literal of checked `YYYY-MM-DD` days (a view cannot take parameters). */
function dayList(days: readonly string[]): string {
  for (const day of days) if (!DAY.test(day)) throw new Error(`not a day: ${JSON.stringify(day)}`);
  return `[${days.map((day) => `'${day}'`).join(', ')}]`;
}

function dateTimeLiteral(at: Date): string {
  return `toDateTime64('${formatDateTime64(at)}', 3, 'UTC')`;
}

function dayRange(from: string, to: string): string[] {
  if (!DAY.test(from) || !DAY.test(to)) throw new Error('days must be YYYY-MM-DD');
  const days: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  if (days.length === 0) throw new Error(`empty day range ${from}..${to}`);
  return days;
}

/**
 * The snapshot a write just made. `system.iceberg_history` was seen (in the one-process pipeline,
 * with other writers busy) to lag a write by a moment; auditing "no snapshot" would block a good
 * run, so poll briefly, then fail the run (the scheduler retries it) rather than audit the wrong
 * snapshot.
 */
async function newSnapshot(
  client: BatchRunnerOptions['client'],
  table: string,
  before: string | undefined,
): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const current = await currentSnapshot(client, table);
    if (current !== undefined && current !== before) return current;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the write to ${table} made no new Iceberg snapshot visible within 10 s`);
}
