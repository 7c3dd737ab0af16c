import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import { messageLogFor, warehouseTargetFor } from '@tributary/connections';
import { BullScheduler, InProcessScheduler, type JobRun, type JobScheduler } from '@tributary/jobs';
import {
  BatchRunner,
  type RunMode,
  BatchStore,
  checkLakeLocation,
  LakeStore,
  LakeWriter,
  Lease,
  MASTER_TABLE,
  NothingToDoError,
  lakeViewTable,
  lakeViewTableCh,
  maintainLakeTable,
  type MaintenanceOptions,
  MASTER_TABLE_CH,
  type MaintenanceOutcome,
} from '@tributary/lake';
import type { MessageLog, RunningConsumer } from '@tributary/messaging';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { ReadTokens } from '@tributary/registry';
import { APP_LOGGER, type AppLogger, Metrics } from '@tributary/platform';
import { bundledSuites, QualityAlerts, QualityStore, runScheduledChecks } from '@tributary/quality';
import { DEFAULT_VIEWS, validateViews, type ViewDefinition } from '@tributary/views';
import { createWarehouseClient, tableExists } from '@tributary/warehouse';
import type { DataSource } from 'typeorm';
import {
  BATCH_CHDB_FOLDER,
  checkBatchSettings,
  createBatchRunner,
  lakeLocation,
} from './batch-layer-runtime';
import { OnDemandError, type OnDemandRun } from './on-demand';

/**
 * The batch layer's two jobs, in one service:
 *
 * - the **lake writer** (consumer group `lake`) appends every event to the Iceberg master
 *   dataset, while it holds the table's lease (other instances wait as standbys);
 * - the **scheduler** recomputes each view on `TRIBUTARY_BATCH_SCHEDULE` (bull on Redis when
 *   configured, in-process otherwise) through the BatchRunner's write-audit-publish, with the
 *   data-quality gate, and keeps `tributary_data_freshness_seconds{layer="batch"}` current.
 *
 * Without Postgres (the embedded profile before its one-process mode) there is nowhere to keep
 * leases, commits and watermarks, so the service says so and stays idle.
 */
/** The scheduled job that expires old snapshots and deletes orphan files of the lake tables. */
const LAKE_MAINTENANCE = 'lake:maintenance';

/** The scheduled job of the real-time tables' data-quality suites. */
const REALTIME_CHECKS = 'quality:realtime';

@Injectable()
export class BatchLayerWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private closers: Array<() => Promise<void>> = [];
  /** What a run on request needs; unset while the service is idle (no Postgres). */
  private onDemand:
    | { runner: BatchRunner; views: ReadonlyMap<string, ViewDefinition>; tokens: ReadTokens }
    | undefined;
  private consumer: RunningConsumer | undefined;
  private readonly abort = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: TributaryConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config, logger } = this;
    checkBatchSettings(config);
    const views = validateViews(DEFAULT_VIEWS);
    const location = checkLakeLocation(lakeLocation(config));
    if (!config.postgres.url) {
      logger.warn(
        { event: 'batch.idle' },
        'no Postgres configured (TRIBUTARY_POSTGRES_URL): the batch layer keeps its leases, commits and watermarks there, so it stays idle',
      );
      return;
    }
    const db = createMetadataDataSource({ url: config.postgres.url });
    await db.initialize();
    this.closers.push(() => db.destroy());
    await migrateMetadata(db);
    const client = createWarehouseClient(warehouseTargetFor(config, BATCH_CHDB_FOLDER), {
      application: 'tributary-batch-layer',
    });
    this.closers.push(() => client.close());
    const lakeStore = new LakeStore(db);
    const log = messageLogFor(config, 'lake');
    this.closers.push(() => log.close());
    const lease = new Lease(db, `lake:${MASTER_TABLE}`, `${process.pid}-${randomUUID()}`);
    const writer = new LakeWriter({
      client,
      store: lakeStore,
      location,
      lease,
      commitRows: config.batch.commitRows,
      commitIntervalMs: config.batch.commitInterval,
      onCommit: (info) => {
        this.metrics
          .get('rows_written_total')
          .inc({ store: 'iceberg', table: 'events' }, info.rows);
        logger.info({ event: 'lake.committed', ...info }, 'lake commit');
      },
      afterIcebergCommit: killAfterCommits(logger),
      onSkipped: (count, reason) =>
        logger.warn({ event: 'lake.skipped', count, reason }, 'records skipped by the lake writer'),
    });
    const lakeWriter = { lease, writer };
    // Waiting for the lease must not hold up start-up: a standby instance is healthy.
    void this.startLakeWriter(lease, writer, log).catch((error: unknown) => {
      if (!this.abort.signal.aborted)
        logger.error({ event: 'lake.failed', err: error }, 'lake writer stopped');
    });

    const alerts = new QualityAlerts({
      logger,
      metrics: this.metrics,
      webhookUrl: config.quality.webhookUrl,
    });
    const { runner, store: batchStore } = createBatchRunner({
      config,
      db,
      client,
      log,
      alerts,
      onBlocked: (run, failed) =>
        logger.error(
          { event: 'batch.blocked', run: run.runId, view: run.view, failed },
          `publish of ${run.view} blocked by ${failed.map((c) => c.name).join(', ')}`,
        ),
      onStep: (run, step) => logger.debug({ event: 'batch.step', run, step }, step),
    });

    const scheduler: JobScheduler = config.redis.url
      ? new BullScheduler('batch-views', {
          redisUrl: config.redis.url,
          retry: { attempts: 3, backoffMs: 30_000 },
        })
      : new InProcessScheduler({ attempts: 3, backoffMs: 30_000 });
    this.closers.push(() => scheduler.stop());
    const byName = new Map(views.map((view) => [view.name, view]));
    this.onDemand = { runner, views: byName, tokens: new ReadTokens(db) };
    const qualityStore = new QualityStore(db);
    await scheduler.start(
      [
        ...views.map((view) => ({ name: view.name, cron: config.batch.schedule })),
        { name: REALTIME_CHECKS, cron: config.quality.schedule },
        { name: LAKE_MAINTENANCE, cron: config.lakeMaintenance.schedule },
      ],
      (job) =>
        job.name === REALTIME_CHECKS
          ? this.runRealtimeChecks(client, qualityStore, alerts)
          : job.name === LAKE_MAINTENANCE
            ? this.maintainLake(client, db, views, lakeWriter)
            : this.runScheduled(runner, byName, job),
    );
    await this.reportFreshness(batchStore, views);
    const freshness = setInterval(() => void this.reportFreshness(batchStore, views), 30_000);
    freshness.unref();
    this.closers.push(async () => clearInterval(freshness));
    logger.info(
      { event: 'batch.scheduled', views: views.map((v) => v.name), cron: config.batch.schedule },
      'batch views scheduled',
    );
  }

  private async startLakeWriter(lease: Lease, writer: LakeWriter, log: MessageLog): Promise<void> {
    this.logger.info(
      { event: 'lake.waiting_for_lease', lease: lease.name },
      'waiting for the lake lease',
    );
    await lease.acquire({ signal: this.abort.signal, pollMs: 5_000 });
    this.closers.push(() => lease.release());
    await writer.prepare();
    this.consumer = await log.consume({
      groupId: this.config.batch.consumerGroup,
      topic: this.config.kafka.eventsTopic,
      sink: writer,
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxRangeSize: 50_000,
      onProgress: ({ topic, partition, lag }) =>
        this.metrics
          .get('consumer_lag')
          .set(
            { group: this.config.batch.consumerGroup, topic, partition: String(partition) },
            lag,
          ),
      onError: (error, range) =>
        this.logger.warn(
          { event: 'lake.write_failed', range, err: error },
          'lake write failed; retrying with backoff, nothing committed',
        ),
    });
    this.logger.info(
      { event: 'lake.consuming', group: this.config.batch.consumerGroup },
      'lake writer consuming',
    );
  }

  private async runScheduled(
    runner: BatchRunner,
    views: ReadonlyMap<string, ViewDefinition>,
    job: JobRun,
  ): Promise<void> {
    const view = views.get(job.name);
    if (!view) return; // a schedule left over from a view that no longer exists
    const startedAt = performance.now();
    const duration = this.metrics.get('batch_run_duration_seconds');
    try {
      const outcome = await runner.run({ view, runId: `${view.name}:${job.id}` });
      if (outcome.repeated) return;
      duration.observe(
        { view: view.name, outcome: outcome.published ? 'published' : 'blocked' },
        (performance.now() - startedAt) / 1000,
      );
      const late = Date.now() - (job.scheduledFor.getTime() + this.config.batch.sla);
      if (outcome.published && late > 0) {
        this.logger.error(
          { event: 'batch.sla_missed', view: view.name, run: outcome.run.runId, lateMs: late },
          `${view.name} published ${Math.round(late / 1000)} s after its SLA`,
        );
      }
    } catch (error) {
      if (error instanceof NothingToDoError) {
        this.logger.debug({ event: 'batch.nothing_new', view: view.name }, error.message);
        return;
      }
      duration.observe(
        { view: view.name, outcome: 'failure' },
        (performance.now() - startedAt) / 1000,
      );
      this.logger.error(
        { event: 'batch.failed', view: view.name, job: job.id, attempt: job.attempt, err: error },
        `batch run of ${view.name} failed`,
      );
      throw error; // the scheduler retries with backoff
    }
  }

  /** The bundled suites of the real-time tables, as checkpoint `realtime-hourly`. */
  private async runRealtimeChecks(
    client: ReturnType<typeof createWarehouseClient>,
    store: QualityStore,
    alerts: QualityAlerts,
  ): Promise<void> {
    const outcomes = await runScheduledChecks({
      client,
      suites: bundledSuites(),
      checkpoint: 'realtime-hourly',
      store,
      alerts,
      sampleRows: this.config.quality.sampleRows,
    });
    for (const outcome of outcomes) {
      if (outcome.status === 'skipped') {
        this.logger.info(
          { event: 'dq.skipped', suite: outcome.suite, reason: outcome.reason },
          `data-quality suite ${outcome.suite} skipped: ${outcome.reason}`,
        );
      }
    }
  }

  /**
   * Compaction of small files, snapshot expiry and orphan-file cleanup: the master dataset between
   * two of the lake writer's commits, and only while this instance holds the lake lease; each view
   * table while holding that view's lease (no run of it in flight). Tables not written yet are
   * skipped.
   */
  private async maintainLake(
    client: ReturnType<typeof createWarehouseClient>,
    db: DataSource,
    views: readonly ViewDefinition[],
    lake: { lease: Lease; writer: LakeWriter } | undefined,
  ): Promise<void> {
    const location = checkLakeLocation(lakeLocation(this.config));
    const options = (table: string): MaintenanceOptions => ({
      retainMs: this.config.lakeMaintenance.snapshotRetention,
      orphanAgeMs: this.config.lakeMaintenance.orphanAge,
      compaction: {
        location,
        table,
        targetSizeBytes: this.config.lakeMaintenance.compactionTargetSize,
      },
    });
    const done = (outcome: MaintenanceOutcome) =>
      this.logger.info({ event: 'lake.maintained', ...outcome }, `maintained ${outcome.table}`);
    if (lake?.lease.held && (await tableExists(client, MASTER_TABLE_CH))) {
      done(
        await lake.writer.exclusive(() =>
          maintainLakeTable(client, MASTER_TABLE_CH, options(MASTER_TABLE)),
        ),
      );
    }
    for (const view of views) {
      const table = lakeViewTableCh(view);
      if (!(await tableExists(client, table))) continue;
      const lease = new Lease(db, `view:${view.name}`, `${process.pid}-${randomUUID()}`, 60_000);
      if (!(await lease.tryHold())) continue; // a run of the view is in flight: next time
      try {
        done(await maintainLakeTable(client, table, options(lakeViewTable(view))));
      } finally {
        await lease.release();
      }
    }
  }

  private async reportFreshness(store: BatchStore, views: readonly ViewDefinition[]) {
    const freshness = this.metrics.get('data_freshness_seconds');
    try {
      const watermarks = new Map((await store.watermarks()).map((w) => [w.view, w]));
      for (const view of views) {
        const cut = watermarks.get(view.name)?.cut;
        if (cut)
          freshness.set({ view: view.name, layer: 'batch' }, (Date.now() - cut.getTime()) / 1000);
      }
    } catch (error) {
      this.logger.warn(
        { event: 'batch.freshness_failed', err: error },
        'could not read watermarks',
      );
    }
  }

  /**
   * Runs views now (`POST /v1/batch/runs`), through the same runner, leases and quality gate as
   * the schedule; a view with nothing new since its published cut reports that instead of failing.
   */
  async runNow(request: { view: string; mode?: RunMode; token?: string }): Promise<OnDemandRun[]> {
    const onDemand = this.onDemand;
    if (!onDemand) throw new OnDemandError(503, 'the batch layer is idle: no Postgres configured');
    if (!request.token || !(await onDemand.tokens.authenticate(request.token))) {
      throw new OnDemandError(401, 'a read token is required: Authorization: Bearer trr_…');
    }
    const selected =
      request.view === 'all'
        ? [...onDemand.views.values()]
        : [onDemand.views.get(request.view)].filter((v) => v !== undefined);
    if (selected.length === 0) {
      throw new OnDemandError(
        404,
        `no view '${request.view}'; views: all, ${[...onDemand.views.keys()].join(', ')}`,
      );
    }
    const results: OnDemandRun[] = [];
    for (const view of selected) {
      try {
        const outcome = await onDemand.runner.run({
          view,
          mode: request.mode,
          runId: `${view.name}:manual:${randomUUID()}`,
        });
        results.push({
          view: view.name,
          status: outcome.published ? 'published' : 'blocked',
          run_id: outcome.run.runId,
          cut: outcome.run.cut.toISOString(),
          output_rows: outcome.run.outputRows,
        });
      } catch (error) {
        if (!(error instanceof NothingToDoError)) throw error;
        results.push({ view: view.name, status: 'nothing_to_do', reason: error.message });
      }
    }
    return results;
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.consumer?.stop();
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
  }
}

/**
 * Fault injection for the crash test: `FAILPOINT_LAKE_KILL_AFTER_COMMITS=N` SIGKILLs the process
 * right after its N-th Iceberg commit — before the commit is recorded and before any offset is
 * committed, the worst moment for exactly-once. Never set outside tests.
 */
function killAfterCommits(logger: AppLogger): (() => void) | undefined {
  const after = Number(process.env['FAILPOINT_LAKE_KILL_AFTER_COMMITS'] ?? 0);
  if (!(after > 0)) return undefined;
  logger.warn({ event: 'lake.failpoint', after }, `failpoint: SIGKILL after ${after} lake commits`);
  let commits = 0;
  return () => {
    commits += 1;
    if (commits >= after) process.kill(process.pid, 'SIGKILL');
  };
}
