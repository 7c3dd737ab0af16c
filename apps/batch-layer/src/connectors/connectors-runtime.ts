import type { TributaryConfig } from '@tributary/config';
import { messageLogFor, warehouseTargetFor } from '@tributary/connections';
import {
  type ConnectorConfig,
  Connectors,
  loadConnectors,
  type S3Access,
} from '@tributary/connectors';
import { checkLakeLocation } from '@tributary/lake';
import type { Metrics } from '@tributary/platform';
import { SchemaRegistry } from '@tributary/registry';
import { createWarehouseClient } from '@tributary/warehouse';
import type { DataSource } from 'typeorm';
import { BATCH_CHDB_FOLDER, lakeLocation } from '../batch/batch-layer-runtime';

/** The connector files of TRIBUTARY_CONNECTORS_DIR (none when unset); a bad file stops start-up. */
export function connectorConfigs(config: TributaryConfig): ConnectorConfig[] {
  return config.connectors.dir ? loadConnectors(config.connectors.dir) : [];
}

/** S3 access of files connectors reading `s3://` prefixes (TRIBUTARY_CONNECTORS_S3_*). */
export function s3Access(config: TributaryConfig): S3Access {
  const { s3Endpoint, s3Region, s3AccessKeyId, s3SecretAccessKey } = config.connectors;
  return {
    region: s3Region,
    ...(s3Endpoint ? { endpoint: s3Endpoint } : {}),
    ...(s3AccessKeyId && s3SecretAccessKey
      ? { credentials: { accessKeyId: s3AccessKeyId, secretAccessKey: s3SecretAccessKey } }
      : {}),
  };
}

/**
 * The connectors of the service and of the CLI, wired to the bus, the schema registry and —
 * when a connector has an entity table or reads Parquet — the batch layer's warehouse and lake.
 * The one place the connectors obtain their bus.
 */
export function createConnectors(
  config: TributaryConfig,
  db: DataSource,
  configs: readonly ConnectorConfig[],
  metrics?: Metrics,
): { connectors: Connectors; close: () => Promise<void> } {
  const bus = messageLogFor(config, 'connectors');
  const needsWarehouse = configs.some(
    (c) => c.entity !== undefined || (c.pull.kind === 'files' && c.pull.format === 'parquet'),
  );
  const client = needsWarehouse
    ? createWarehouseClient(warehouseTargetFor(config, BATCH_CHDB_FOLDER), {
        application: 'tributary-connectors',
      })
    : undefined;
  const connectors = new Connectors(configs, {
    db,
    bus,
    schemas: new SchemaRegistry(db),
    publish: {
      eventsTopic: config.kafka.eventsTopic,
      dlqTopic: config.kafka.dlqTopic,
      publishTimeoutMs: config.ingest.publishTimeout,
      maxEventBytes: config.ingest.maxEventBytes,
      maxFutureSkewMs: config.ingest.maxFutureSkew,
    },
    ...(client ? { warehouse: { client, location: checkLakeLocation(lakeLocation(config)) } } : {}),
    s3: s3Access(config),
    ...(metrics ? { metrics } : {}),
  });
  return {
    connectors,
    close: async () => {
      await bus.close();
      await client?.close();
    },
  };
}
