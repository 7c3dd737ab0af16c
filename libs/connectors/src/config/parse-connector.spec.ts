import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorConfigError, loadConnectors, parseConnector } from './parse-connector';

const valid = `
connector: orders
event_type: orders.row
schedule: "*/5 * * * *"
freshness_sla: 2h
primary_key: [id]
entity:
  table: orders
  columns: { id: Int64, status: String }
postgres:
  url_env: ORDERS_DB_URL
  table: public.orders
  watermark: { column: updated_at, type: timestamp, overlap: 5m }
  tie_breaker: id
`;

function problems(text: string): string[] {
  try {
    parseConnector(text, 'c.yaml');
  } catch (error) {
    if (error instanceof ConnectorConfigError) {
      return error.problems.map((p) => `${p.line} ${p.path} ${p.reason}`);
    }
    throw error;
  }
  throw new Error('expected the connector to be refused');
}

describe(parseConnector.name, () => {
  it('reads a Postgres connector with its defaults', () => {
    expect(parseConnector(valid, 'orders.yaml')).toEqual({
      name: 'orders',
      eventType: 'orders.row',
      source: 'connector:orders',
      schedule: '*/5 * * * *',
      timeoutMs: 1_800_000,
      retry: { attempts: 5, backoffMs: 1_000, maxBackoffMs: 60_000 },
      freshnessSlaMs: 7_200_000,
      primaryKey: ['id'],
      entity: {
        table: 'orders',
        columns: [
          ['id', 'Int64'],
          ['status', 'String'],
        ],
      },
      pull: {
        kind: 'postgres',
        urlEnv: 'ORDERS_DB_URL',
        table: 'public.orders',
        watermark: { column: 'updated_at', type: 'timestamp', overlap: 300_000 },
        tieBreaker: 'id',
        pageSize: 1_000,
      },
      file: 'orders.yaml',
    });
  });

  it('refuses unknown keys and bad values, naming line, key and reason', () => {
    expect(
      problems(
        valid.replace('tie_breaker: id', 'tie_breaker: id\n  batch: 5').replace('2h', 'soon'),
      ),
    ).toEqual([
      "5 /freshness_sla freshness_sla 'soon' is not a duration (e.g. 90s, 30m, 2h, 7d)",
      "15 /postgres unknown key 'batch'",
    ]);
  });

  it('refuses a config with both or neither source', () => {
    expect(problems('connector: x\nevent_type: a.b\n')).toEqual([
      '1  needs exactly one of: postgres, files',
    ]);
  });

  it('refuses settings that contradict each other', () => {
    const integerTime = valid
      .replace('type: timestamp, overlap: 5m', 'type: integer, overlap: 5m')
      .replace('columns: { id: Int64, status: String }', 'columns: { status: String }');
    expect(problems(integerTime)).toEqual([
      "2 /occurred_at missing required key 'occurred_at': the event time column, needed when the watermark is not a timestamp",
      '9 /entity/columns the entity table needs the primary key column(s) id',
      '13 /postgres/watermark/overlap an integer watermark takes its overlap as a number of values, not a duration',
    ]);
  });

  it('refuses an entity table without a primary key, and YAML syntax errors', () => {
    expect(problems(valid.replace('primary_key: [id]\n', ''))).toEqual([
      '2  entity needs primary_key',
    ]);
    expect(problems('connector: [\n')[0]).toMatch(/^\d+ {2}YAML: /);
  });

  it('reads a files connector and requires its event time column', () => {
    const files =
      'connector: drops\nevent_type: drops.row\nfiles: { location: ./in, format: csv }\n';
    expect(problems(files)[0]).toMatch(/missing required key 'occurred_at'.*reading files/);
    expect(parseConnector(`${files}occurred_at: ts\n`).pull).toEqual({
      kind: 'files',
      location: './in',
      format: 'csv',
      pattern: '*.csv',
      csv: { delimiter: ',' },
    });
  });
});

describe(loadConnectors.name, () => {
  it('refuses two files declaring one connector', () => {
    const dir = mkdtempSync(join(tmpdir(), 'connectors-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), valid);
      writeFileSync(join(dir, 'b.yaml'), valid.replace('table: orders\n', 'table: other\n'));
      expect(() => loadConnectors(dir)).toThrow(/connector 'orders' is also declared in .*a\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
