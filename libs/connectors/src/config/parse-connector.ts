import { readFileSync } from 'node:fs';
import {
  parseDuration,
  readYaml,
  schemaProblems,
  yamlFilesIn,
  type YamlProblem,
  yamlRefusal,
} from '@tributary/quality';
import { Ajv2020 } from 'ajv/dist/2020';
import type {
  ConnectorConfig,
  FilesSourceSettings,
  PostgresSourceSettings,
} from './connector-config';
import { CONNECTOR_SCHEMA, PATTERN_NAMES } from './connector-schema';

const ajv = new Ajv2020({
  allErrors: true,
  allowUnionTypes: true,
  strictRequired: false,
  verbose: true,
});
const validateConnector = ajv.compile(CONNECTOR_SCHEMA);

/** A connector file was refused: every problem, each with its line, key (JSON pointer) and reason. */
export class ConnectorConfigError extends Error {
  override readonly name = 'ConnectorConfigError';

  constructor(
    readonly file: string,
    readonly problems: readonly YamlProblem[],
  ) {
    super(yamlRefusal('connector', file, problems, true));
  }
}

type Raw = Record<string, unknown>;

/**
 * Parses and validates one connector written in YAML. YAML syntax, unknown keys, missing or
 * mistyped values and settings that contradict each other (an entity table without its key
 * columns, an integer watermark with a time overlap) are all refused at once, each problem
 * named by file, line, key and reason.
 */
export function parseConnector(text: string, file = '<connector>'): ConnectorConfig {
  const parsed = readYaml(text);
  if ('problems' in parsed) throw new ConnectorConfigError(file, parsed.problems);
  const { data, locate } = parsed;
  if (!validateConnector(data)) {
    throw new ConnectorConfigError(
      file,
      sorted(schemaProblems(validateConnector.errors ?? [], '', locate, PATTERN_NAMES)),
    );
  }
  const raw = data as unknown as Raw;
  const problems: YamlProblem[] = [];
  const problem = (path: string, reason: string) => problems.push(locate(path, reason));
  const pull = raw.postgres
    ? postgresSettings(raw.postgres as Raw, problem)
    : filesSettings(raw.files as Raw);
  const primaryKey = (raw.primary_key as string[] | undefined) ?? [];
  const occurredAt = raw.occurred_at as string | undefined;
  if (!occurredAt && (pull.kind === 'files' || pull.watermark.type === 'integer')) {
    problem(
      '/occurred_at',
      `missing required key 'occurred_at': the event time column, needed when ${pull.kind === 'files' ? 'reading files' : 'the watermark is not a timestamp'}`,
    );
  }
  let entity: ConnectorConfig['entity'];
  if (raw.entity) {
    const settings = raw.entity as { table: string; columns: Record<string, string> };
    const columns = Object.entries(settings.columns);
    const missing = primaryKey.filter((key) => !columns.some(([name]) => name === key));
    if (missing.length > 0) {
      problem(
        '/entity/columns',
        `the entity table needs the primary key column(s) ${missing.join(', ')}`,
      );
    }
    entity = { table: settings.table, columns };
  }
  const retry = (raw.retry as Raw | undefined) ?? {};
  const config: ConnectorConfig = {
    name: String(raw.connector),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    eventType: String(raw.event_type),
    source: typeof raw.source === 'string' ? raw.source : `connector:${String(raw.connector)}`,
    ...(typeof raw.schedule === 'string' ? { schedule: raw.schedule } : {}),
    timeoutMs: parseDuration((raw.timeout as string | number | undefined) ?? '30m'),
    retry: {
      attempts: (retry.attempts as number | undefined) ?? 5,
      backoffMs: parseDuration((retry.backoff as string | number | undefined) ?? '1s'),
      maxBackoffMs: parseDuration((retry.max_backoff as string | number | undefined) ?? '60s'),
    },
    ...(raw.freshness_sla === undefined
      ? {}
      : { freshnessSlaMs: parseDuration(raw.freshness_sla as string | number) }),
    primaryKey,
    ...(typeof raw.version_column === 'string' ? { versionColumn: raw.version_column } : {}),
    ...(occurredAt ? { occurredAt } : {}),
    ...(typeof raw.subject === 'string' ? { subject: raw.subject } : {}),
    ...(entity ? { entity } : {}),
    pull,
    file,
  };
  if (problems.length > 0) throw new ConnectorConfigError(file, sorted(problems));
  return config;
}

function postgresSettings(
  raw: Raw,
  problem: (path: string, reason: string) => void,
): PostgresSourceSettings {
  const watermark = raw.watermark as {
    column: string;
    type: 'timestamp' | 'integer';
    overlap?: string | number;
  };
  let overlap = 0;
  if (watermark.overlap !== undefined) {
    if (watermark.type === 'integer') {
      if (typeof watermark.overlap === 'number') overlap = watermark.overlap;
      else
        problem(
          '/postgres/watermark/overlap',
          'an integer watermark takes its overlap as a number of values, not a duration',
        );
    } else {
      overlap = parseDuration(watermark.overlap);
    }
  }
  return {
    kind: 'postgres',
    urlEnv: String(raw.url_env),
    ...(typeof raw.table === 'string' ? { table: raw.table } : {}),
    ...(typeof raw.query === 'string' ? { query: raw.query } : {}),
    watermark: { column: watermark.column, type: watermark.type, overlap },
    tieBreaker: String(raw.tie_breaker),
    pageSize: (raw.page_size as number | undefined) ?? 1_000,
  };
}

function filesSettings(raw: Raw): FilesSourceSettings {
  const format = raw.format as FilesSourceSettings['format'];
  const csv = (raw.csv as { delimiter?: string } | undefined) ?? {};
  return {
    kind: 'files',
    location: String(raw.location),
    format,
    pattern: typeof raw.pattern === 'string' ? raw.pattern : `*.${format}`,
    csv: { delimiter: csv.delimiter ?? ',' },
  };
}

function sorted(problems: YamlProblem[]): YamlProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Reads and parses one connector file. */
export function loadConnectorFile(file: string): ConnectorConfig {
  return parseConnector(readFileSync(file, 'utf8'), file);
}

/**
 * Every `*.yaml` / `*.yml` connector in a folder, sorted by file name. Throws the first refusal;
 * two files declaring one connector name (or one entity table) are refused as well.
 */
export function loadConnectors(dir: string): ConnectorConfig[] {
  const connectors = yamlFilesIn(dir).map(loadConnectorFile);
  const names = new Map<string, string>();
  const entities = new Map<string, string>();
  for (const connector of connectors) {
    const clash = (path: string, reason: string) =>
      new ConnectorConfigError(connector.file, [{ line: 1, column: 1, path, reason }]);
    const other = names.get(connector.name);
    if (other !== undefined)
      throw clash('/connector', `connector '${connector.name}' is also declared in ${other}`);
    names.set(connector.name, connector.file);
    if (connector.entity) {
      const owner = entities.get(connector.entity.table);
      if (owner !== undefined) {
        throw clash(
          '/entity/table',
          `entity table '${connector.entity.table}' is also written by ${owner}`,
        );
      }
      entities.set(connector.entity.table, connector.file);
    }
  }
  return connectors;
}
