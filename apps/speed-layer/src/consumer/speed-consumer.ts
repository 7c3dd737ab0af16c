import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import { messageLogFor, warehouseTargetFor } from '@tributary/connections';
import type { EventBus, RunningConsumer } from '@tributary/messaging';
import { APP_LOGGER, type AppLogger, Metrics } from '@tributary/platform';
import { DEFAULT_VIEWS, realtimeMigrations, validateViews } from '@tributary/views';
import {
  applyWarehouseMigrations,
  createWarehouseClient,
  EventsRtSink,
  type UndecodableRecord,
} from '@tributary/warehouse';
import { countSkipped, measuredSink } from './sink-metrics';

/**
 * The speed layer's one job: consume the events topic (group `speed`) into ClickHouse's
 * `events_rt`, whose materialized views keep the real-time views current. Exactly-once effect
 * comes from the sink (EventsRtSink: range dedup tokens, progress read from the rows, event_id
 * filter), so offsets are committed only after ClickHouse acknowledged the insert.
 *
 * The warehouse is chDB under the data folder in the embedded profile and the ClickHouse server
 * in the distributed one; the log is Kafka when brokers are configured, else the embedded log
 * under the data folder (the same code either way).
 */
@Injectable()
export class SpeedConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: RunningConsumer | undefined;
  private closers: Array<() => Promise<void>> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: TributaryConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this;
    const views = validateViews(DEFAULT_VIEWS);
    const client = createWarehouseClient(warehouseTargetFor(config), {
      application: 'tributary-speed-layer',
    });
    this.closers.push(() => client.close());
    const applied = await applyWarehouseMigrations(client, realtimeMigrations(views));
    this.logger.info(
      { event: 'speed.ddl_applied', applied },
      `real-time DDL ready (${applied.length} migrations applied)`,
    );

    const log = messageLogFor(config, 'speed');
    this.closers.push(() => log.close());
    const dlq: EventBus = log;
    const eventsRt = new EventsRtSink(client, {
      onUndecodable: (records) => this.toDlq(dlq, records),
      allowedLatenessMs: config.speed.allowedLateness,
    });
    await eventsRt.prepare();
    const sink = measuredSink(eventsRt, this.metrics);
    this.running = await log.consume({
      groupId: config.speed.consumerGroup,
      topic: config.kafka.eventsTopic,
      sink,
      maxRangeSize: config.speed.rangeSize,
      maxBytesPerPartition: config.speed.fetchBytes,
      partitionsInParallel: config.speed.partitionsInParallel,
      minBytes: config.speed.fetchMinBytes,
      maxWaitMs: config.speed.fetchMaxWait,
      onSkipped: countSkipped(this.metrics),
      onProgress: ({ topic, partition, lag }) =>
        this.metrics
          .get('consumer_lag')
          .set({ group: config.speed.consumerGroup, topic, partition: String(partition) }, lag),
      onError: (error, range) =>
        this.logger.warn(
          { event: 'speed.write_failed', range, err: error },
          'ClickHouse write failed; retrying with backoff, nothing committed',
        ),
    });
    this.logger.info(
      {
        event: 'speed.consuming',
        topic: config.kafka.eventsTopic,
        group: config.speed.consumerGroup,
        log: log.kind,
      },
      'consuming',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.stop();
    for (const close of this.closers.reverse()) await close();
  }

  private async toDlq(bus: EventBus, records: UndecodableRecord[]): Promise<void> {
    const dlq = this.metrics.get('events_dlq_total');
    await bus.publish(
      [
        {
          topic: this.config.kafka.dlqTopic,
          messages: records.map((r) => ({
            key: `${r.topic}:${r.partition}`,
            value: JSON.stringify({
              reason: 'undecodable',
              errors: [{ code: 'undecodable', pointer: '', message: r.reason }],
              original: r.original,
              topic: r.topic,
              partition: r.partition,
              offset: r.offset,
              received_at: new Date().toISOString(),
            }),
            headers: { 'content-type': 'application/json', schema: 'dlq@1' },
          })),
        },
      ],
      { timeoutMs: this.config.ingest.publishTimeout },
    );
    dlq.inc({ source: 'unknown', type: 'unknown', reason: 'undecodable' }, records.length);
  }
}
