import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir } from '@tributary/testing';
import { createWarehouseClient } from '../warehouse-client';
import { applyWarehouseMigrations } from './apply-warehouse-migrations';
import { migrationChecksum, type WarehouseMigration } from './warehouse-migration';
import { WarehouseMigrationError } from './warehouse-migration-error';

const first: WarehouseMigration = {
  version: '0001_probe',
  statements: [
    'CREATE TABLE IF NOT EXISTS probe (id UInt32) ENGINE = MergeTree ORDER BY id',
    'INSERT INTO probe VALUES (1)',
  ],
};
const second: WarehouseMigration = {
  version: '0002_probe_name',
  statements: ["ALTER TABLE probe ADD COLUMN IF NOT EXISTS name String DEFAULT 'x'"],
};

describe(applyWarehouseMigrations.name, () => {
  let dataDir: TempDir;
  let client: ClickHouseClient;

  async function rows(query: string): Promise<unknown[]> {
    return (await client.query({ query, format: 'JSONEachRow' })).json();
  }

  beforeAll(() => {
    dataDir = tempDir('warehouse-migrations');
    client = createWarehouseClient({ kind: 'embedded', path: dataDir.path });
  });

  afterAll(async () => {
    await client.close();
    dataDir.remove();
  });

  it('applies what is missing, in order, and records version and checksum', async () => {
    await expect(applyWarehouseMigrations(client, [first])).resolves.toEqual(['0001_probe']);
    await expect(applyWarehouseMigrations(client, [first, second])).resolves.toEqual([
      '0002_probe_name',
    ]);
    await expect(
      rows(
        'SELECT version, checksum, applied_at > now() - 60 AS recent FROM warehouse_migrations ORDER BY version',
      ),
    ).resolves.toEqual([
      { version: '0001_probe', checksum: migrationChecksum(first.statements), recent: 1 },
      { version: '0002_probe_name', checksum: migrationChecksum(second.statements), recent: 1 },
    ]);
  });

  it('is safe to run twice: a second run applies nothing and runs no statement again', async () => {
    await expect(applyWarehouseMigrations(client, [first, second])).resolves.toEqual([]);
    await expect(rows('SELECT id, name FROM probe')).resolves.toEqual([{ id: 1, name: 'x' }]);
  });

  it('refuses, naming the version, when an applied migration was changed, and applies nothing', async () => {
    const edited = { ...first, statements: [...first.statements, 'INSERT INTO probe VALUES (2)'] };
    const third: WarehouseMigration = {
      version: '0003_never',
      statements: ['CREATE TABLE never (x UInt8) ENGINE = Memory'],
    };
    const attempt = applyWarehouseMigrations(client, [edited, second, third]);
    await expect(attempt).rejects.toThrow(WarehouseMigrationError);
    await expect(attempt).rejects.toThrow(
      `- '0001_probe' was applied with checksum ${migrationChecksum(first.statements)}, its statements now hash to ${migrationChecksum(edited.statements)}`,
    );
    await expect(rows('EXISTS TABLE never')).resolves.toEqual([{ result: 0 }]);
  });

  it('stops at a failing statement, naming it, and leaves that version to be applied again', async () => {
    const broken: WarehouseMigration = {
      version: '0003_broken',
      statements: [
        'CREATE TABLE IF NOT EXISTS half (x UInt8) ENGINE = Memory',
        'SELECT no_such_column FROM half',
      ],
    };
    await expect(applyWarehouseMigrations(client, [first, second, broken])).rejects.toThrow(
      /^Warehouse migration '0003_broken' failed at statement 2 of 2: .*no_such_column/,
    );
    const fixed = { ...broken, statements: [broken.statements[0] as string] };
    await expect(applyWarehouseMigrations(client, [first, second, fixed])).resolves.toEqual([
      '0003_broken',
    ]);
  });

  it('refuses a list with a repeated or malformed version before touching the warehouse', async () => {
    await expect(applyWarehouseMigrations(client, [first, first])).rejects.toThrow(
      "Invalid warehouse migrations: version '0001_probe' is listed twice",
    );
    await expect(
      applyWarehouseMigrations(client, [{ version: "x'; DROP", statements: ['SELECT 1'] }]),
    ).rejects.toThrow(/version 'x'; DROP' must match/);
  });
});
