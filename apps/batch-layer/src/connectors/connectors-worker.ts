import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import type { Connectors } from '@tributary/connectors';
import { BullScheduler, InProcessScheduler, type JobRun, type JobScheduler } from '@tributary/jobs';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { APP_LOGGER, type AppLogger, Metrics } from '@tributary/platform';
import { connectorConfigs, createConnectors } from './connectors-runtime';

/** Scheduled job names: `connector:<name>`. */
const JOB_PREFIX = 'connector:';

/**
 * The batch layer's connector runs: each connector of TRIBUTARY_CONNECTORS_DIR with a `schedule`
 * runs on it through the jobs port (bull on Redis when configured, in-process otherwise). A run
 * retries the source itself (backoff with jitter, within its timeout), so the scheduler does not
 * retry a failed run: the next firing continues from the unchanged watermark. Freshness gauges
 * are refreshed every 30 s for the stale-watermark alert.
 */
@Injectable()
export class ConnectorsWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private closers: Array<() => Promise<void>> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: TributaryConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config, logger } = this;
    const configs = connectorConfigs(config); // a bad connector file stops start-up, named
    if (configs.length === 0) return;
    // The bus is Kafka or the embedded log (messageLogFor); only the metadata store is required.
    if (!config.postgres.url) {
      logger.warn(
        { event: 'connectors.idle', connectors: configs.map((c) => c.name) },
        'connectors need TRIBUTARY_POSTGRES_URL (watermarks and runs): not scheduled',
      );
      return;
    }
    // Each running connector holds one connection for its lock and needs others for its queries.
    const db = await createMetadataDataSource({
      url: config.postgres.url,
      poolSize: configs.length + 2,
    }).initialize();
    this.closers.push(() => db.destroy());
    await migrateMetadata(db);
    const { connectors, close } = createConnectors(config, db, configs, this.metrics);
    this.closers.push(close);

    const scheduled = configs.filter((c) => c.schedule !== undefined);
    const retry = { attempts: 1, backoffMs: 1_000 };
    const scheduler: JobScheduler = config.redis.url
      ? new BullScheduler('connectors', { redisUrl: config.redis.url, retry })
      : new InProcessScheduler(retry);
    this.closers.push(() => scheduler.stop());
    await scheduler.start(
      scheduled.map((c) => ({ name: `${JOB_PREFIX}${c.name}`, cron: String(c.schedule) })),
      (job) => this.run(connectors, job),
    );
    await this.reportFreshness(connectors);
    const freshness = setInterval(() => void this.reportFreshness(connectors), 30_000);
    freshness.unref();
    this.closers.push(async () => clearInterval(freshness));
    logger.info(
      { event: 'connectors.scheduled', connectors: scheduled.map((c) => c.name) },
      'connectors scheduled',
    );
  }

  private async run(connectors: Connectors, job: JobRun): Promise<void> {
    const name = job.name.slice(JOB_PREFIX.length);
    try {
      const result = await connectors.run(name, {
        mode: 'scheduled',
        onRetry: ({ attempt, delayMs, error }) =>
          this.logger.warn(
            { event: 'connector.retry', connector: name, attempt, delayMs, err: error },
            `${name}: source not answering, retrying in ${delayMs} ms`,
          ),
      });
      this.logger.info({ event: 'connector.run', connector: name, ...result }, `${name} ran`);
    } catch (error) {
      this.logger.error(
        { event: 'connector.run_failed', connector: name, job: job.id, err: error },
        `connector ${name} failed`,
      );
      throw error;
    } finally {
      await this.reportFreshness(connectors);
    }
  }

  private async reportFreshness(connectors: Connectors): Promise<void> {
    try {
      for (const stale of (await connectors.freshness()).filter((f) => f.stale)) {
        this.logger.warn(
          { event: 'connector.stale', ...stale },
          `${stale.connector} is past its freshness SLA`,
        );
      }
    } catch (error) {
      this.logger.warn(
        { event: 'connectors.freshness_failed', err: error },
        'could not read connector state',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
  }
}
