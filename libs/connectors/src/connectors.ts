import type { ClickHouseClient } from '@clickhouse/client';
import type { LakeLocation } from '@tributary/lake';
import type { EventBus } from '@tributary/messaging';
import type { Metrics } from '@tributary/platform';
import type { SchemaResolver } from '@tributary/registry';
import type { DataSource } from 'typeorm';
import type { ConnectorConfig } from './config/connector-config';
import { EntityTable } from './entity/entity-table';
import { type PublishSettings, RowPublisher } from './events/row-events';
import type { S3Access } from './files/file-source';
import { FilesPull } from './files/files-pull';
import { PostgresPull } from './postgres/postgres-pull';
import { ConnectorError } from './run/connector-error';
import { ConnectorRunner, type RunRequest, type RunResult } from './run/connector-runner';
import type { Pull } from './run/pull';
import { type ConnectorRun, type ConnectorState, ConnectorStore } from './store/connector-store';

export interface ConnectorsOptions {
  db: DataSource;
  /** The bus port: events and DLQ records go out through it, acknowledged before anything moves. */
  bus: EventBus;
  schemas: SchemaResolver;
  publish: PublishSettings;
  /** Where `url_env` names are looked up: process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The warehouse and lake, for entity tables and Parquet files. */
  warehouse?: { client: ClickHouseClient; location: LakeLocation };
  /** S3 (or an S3-compatible server), for files connectors whose location is `s3://…`. */
  s3?: S3Access;
  metrics?: Metrics;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ConnectorFreshness {
  connector: string;
  lastSuccessAt: Date | undefined;
  ageSeconds: number | undefined;
  slaSeconds: number | undefined;
  stale: boolean;
}

/** The configured connectors and what can be done with them: run, inspect, reset. */
export class Connectors {
  readonly store: ConnectorStore;
  private readonly runner: ConnectorRunner;
  private readonly byName: ReadonlyMap<string, ConnectorConfig>;

  constructor(
    readonly configs: readonly ConnectorConfig[],
    private readonly options: ConnectorsOptions,
  ) {
    this.byName = new Map(configs.map((c) => [c.name, c]));
    this.store = new ConnectorStore(options.db);
    this.runner = new ConnectorRunner({
      store: this.store,
      publisher: new RowPublisher(options.bus, options.schemas, options.publish),
      pullFor: (config) => this.pullFor(config),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  get(name: string): ConnectorConfig {
    const config = this.byName.get(name);
    if (!config) {
      const known = [...this.byName.keys()].join(', ') || 'none';
      throw new ConnectorError(
        'unknown_connector',
        `no connector '${name}' (configured: ${known})`,
      );
    }
    return config;
  }

  run(name: string, request: RunRequest): Promise<RunResult> {
    return this.runner.run(this.get(name), request);
  }

  async state(name: string): Promise<{ state: ConnectorState | undefined; runs: ConnectorRun[] }> {
    this.get(name);
    return { state: await this.store.state(name), runs: await this.store.runs(name, 10) };
  }

  async reset(name: string): Promise<void> {
    this.get(name);
    await this.store.exclusive(name, () => this.store.reset(name));
  }

  /** Entity table of a connector (its current state in the lake), if it declares one. */
  entityTable(config: ConnectorConfig): EntityTable | undefined {
    if (!config.entity) return undefined;
    const { warehouse } = this.options;
    if (!warehouse) {
      throw new ConnectorError(
        'not_configured',
        `${config.name}: its entity table needs the warehouse and lake`,
      );
    }
    return new EntityTable(warehouse.client, warehouse.location, config.entity, config.primaryKey);
  }

  /** Age of each connector's last success against its SLA; sets the freshness gauges. */
  async freshness(now = new Date()): Promise<ConnectorFreshness[]> {
    const result: ConnectorFreshness[] = [];
    for (const config of this.configs) {
      const lastSuccessAt = (await this.store.state(config.name))?.lastSuccessAt;
      const ageSeconds = lastSuccessAt
        ? (now.getTime() - lastSuccessAt.getTime()) / 1000
        : undefined;
      const slaSeconds =
        config.freshnessSlaMs === undefined ? undefined : config.freshnessSlaMs / 1000;
      const metrics = this.options.metrics;
      if (metrics && ageSeconds !== undefined) {
        metrics
          .get('connector_last_success_age_seconds')
          .set({ connector: config.name }, ageSeconds);
      }
      if (metrics && slaSeconds !== undefined) {
        metrics.get('connector_freshness_sla_seconds').set({ connector: config.name }, slaSeconds);
      }
      result.push({
        connector: config.name,
        lastSuccessAt,
        ageSeconds,
        slaSeconds,
        stale: slaSeconds !== undefined && (ageSeconds === undefined || ageSeconds > slaSeconds),
      });
    }
    return result;
  }

  private pullFor(config: ConnectorConfig): Pull {
    const entity = this.entityTable(config);
    if (config.pull.kind === 'postgres') {
      const url = (this.options.env ?? process.env)[config.pull.urlEnv];
      if (!url) {
        throw new ConnectorError(
          'not_configured',
          `${config.name}: set ${config.pull.urlEnv} to the source database URL (${config.file})`,
        );
      }
      return new PostgresPull(config, url, entity);
    }
    const { warehouse } = this.options;
    return new FilesPull(
      config,
      warehouse ? (path) => readParquet(warehouse.client, path) : undefined,
      entity,
      this.options.s3,
    );
  }
}

async function readParquet(
  client: ClickHouseClient,
  path: string,
): Promise<Array<Record<string, unknown>>> {
  const result = await client.query({
    query: `SELECT * FROM file('${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}', 'Parquet')`,
    format: 'JSONEachRow',
  });
  return result.json<Record<string, unknown>>();
}
