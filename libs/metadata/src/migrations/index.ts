import { CreateSources1764150000000 } from './1764150000000-create-sources';
import { CreateApiKeys1764200000000 } from './1764200000000-create-api-keys';
import { CreateSchemaRegistry1764200001000 } from './1764200001000-create-schema-registry';
import { CreateDataQualityResults1764300000000 } from './1764300000000-create-data-quality-results';
import { CreateBatchTables1764300001000 } from './1764300001000-create-batch-tables';
import { CreateReadTokens1764300002000 } from './1764300002000-create-read-tokens';
import { CreateConnectorTables1764300003000 } from './1764300003000-create-connector-tables';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const metadataMigrations = [
  CreateSources1764150000000,
  CreateApiKeys1764200000000,
  CreateSchemaRegistry1764200001000,
  CreateDataQualityResults1764300000000,
  CreateBatchTables1764300001000,
  CreateReadTokens1764300002000,
  CreateConnectorTables1764300003000,
];
