import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir, workspaceTempDir } from '@tributary/testing';
import { createWarehouseClient } from '@tributary/warehouse';
import type { CompactionOutcome } from './compaction';
import { currentSnapshot, ICEBERG_WRITE } from './iceberg';
import { repairLakeTable } from './iceberg-repair';
import type { LakeLocation } from './lake-location';
import { maintainLakeTable } from './maintenance';
import {
  eventsStagingDdl,
  MASTER_TABLE,
  MASTER_TABLE_CH,
  masterDatasetDdl,
  masterDatasetInsertSelect,
} from './master-dataset';

const execFileAsync = promisify(execFile);

function must(outcome: { compaction?: CompactionOutcome }): CompactionOutcome {
  if (!outcome.compaction) throw new Error('maintenance ran no compaction');
  return outcome.compaction;
}
const COLUMNS = ['event_id', 'type', 'occurred_at', '_kafka_partition', '_kafka_offset'];
const TARGET = 128 * 1024 * 1024;

/** scripts/iceberg-read.sh --rows: PyIceberg's rows of the table (at a snapshot), as text. */
async function pyIcebergRows(folder: string, snapshot?: string): Promise<string[][]> {
  const args = ['scripts/iceberg-read.sh', folder, '--rows', COLUMNS.join(',')];
  if (snapshot) args.push('--snapshot-id', snapshot);
  const { stdout } = await execFileAsync('bash', args, {
    timeout: 170_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return sorted((JSON.parse(stdout) as { rows_of: string[][] }).rows_of);
}

function sorted(rows: string[][]): string[][] {
  return rows
    .map((row) => JSON.stringify(row))
    .sort()
    .map((row) => JSON.parse(row) as string[]);
}

/**
 * Compaction of the master dataset on chDB: many small commits (the lake writer's shape, each
 * repaired after it) and a position delete, then `maintainLakeTable` with a target size — fewer
 * files, the same rows for ClickHouse and for PyIceberg, the old snapshot still readable, and
 * ClickHouse still appends afterwards.
 */
describe('lake compaction (chDB + PyIceberg)', () => {
  let chdbDir: TempDir;
  let lakeDir: TempDir;
  let client: ClickHouseClient;
  let location: LakeLocation;
  let folder: string;
  let offset = 0;

  async function query<T>(sql: string, settings: Record<string, string> = {}): Promise<T[]> {
    const result = await client.query({
      query: sql,
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
    return result.json<T>();
  }

  /** The table's rows as text (the columns PyIceberg prints), sorted. */
  async function chdbRows(settings: Record<string, string> = {}): Promise<string[][]> {
    const rows = await query<Record<string, string>>(
      `SELECT event_id, type, toString(occurred_at) AS occurred_at,
              toString(_kafka_partition) AS p, toString(_kafka_offset) AS o FROM ${MASTER_TABLE_CH}`,
      settings,
    );
    return sorted(rows.map((row) => Object.values(row)));
  }

  async function dataFiles(): Promise<number> {
    const [row] = await query<{ n: string }>(
      `SELECT uniqExact(_path) AS n FROM ${MASTER_TABLE_CH}`,
    );
    return Number(row?.n);
  }

  /** The batch layer's maintenance of the master dataset, with compaction (a week's retention). */
  const maintain = (targetSizeBytes = TARGET) =>
    maintainLakeTable(client, MASTER_TABLE_CH, {
      retainMs: 7 * 86_400_000,
      orphanAgeMs: 7 * 86_400_000,
      compaction: { location, table: MASTER_TABLE, targetSizeBytes },
    });

  /** The live data files' sizes in bytes, smallest first. */
  async function fileSizes(): Promise<number[]> {
    const rows = await query<{ size: string }>(
      `SELECT any(_size) AS size FROM ${MASTER_TABLE_CH} GROUP BY _path`,
    );
    return rows.map((row) => Number(row.size)).sort((a, b) => a - b);
  }

  /** One small commit, as the lake writer makes it: `count` events over two event days. */
  async function commit(count: number): Promise<void> {
    const stage = `compaction_stage_${offset}`;
    await client.command({ query: eventsStagingDdl(stage, 'Memory') });
    await client.command({
      query: `INSERT INTO ${stage} (event_id, type, occurred_at, _ingested_at, _kafka_partition, _kafka_offset)
              SELECT generateUUIDv4(), ['view', 'click', 'signup'][number % 3 + 1],
                     toDateTime64('2026-03-01 00:00:00', 3, 'UTC') + toIntervalSecond((number * 7919) % 172800),
                     now64(3), number % 2, ${offset} + number
              FROM numbers(${count})`,
    });
    await client.command({
      query: `INSERT INTO ${MASTER_TABLE_CH} SELECT ${masterDatasetInsertSelect()} FROM ${stage}`,
      clickhouse_settings: ICEBERG_WRITE,
    });
    await client.command({ query: `DROP TABLE ${stage}` });
    await repairLakeTable(location, MASTER_TABLE);
    offset += count;
  }

  beforeAll(async () => {
    chdbDir = tempDir('compaction-chdb');
    lakeDir = workspaceTempDir('compaction');
    location = { kind: 'local', root: lakeDir.path };
    folder = join(resolve(lakeDir.path), MASTER_TABLE);
    client = createWarehouseClient({ kind: 'embedded', path: chdbDir.path });
    await client.command({ query: masterDatasetDdl(location), clickhouse_settings: ICEBERG_WRITE });
    for (let i = 0; i < 8; i += 1) await commit(40 + i);
    // A position delete in one partition: its delete file goes with the rewrite.
    await client.command({
      query: `ALTER TABLE ${MASTER_TABLE_CH} DELETE WHERE _kafka_offset % 17 = 0
              AND toDate(occurred_at) = '2026-03-01'`,
      clickhouse_settings: ICEBERG_WRITE,
    });
    await repairLakeTable(location, MASTER_TABLE);
  });

  afterAll(async () => {
    await client?.close();
    chdbDir?.remove();
    lakeDir?.remove();
  });

  it('rewrites small files into one per partition, leaving the rows, time travel and later appends intact', async () => {
    const rowsBefore = await chdbRows();
    const filesBefore = await dataFiles();
    const snapshotBefore = await currentSnapshot(client, MASTER_TABLE_CH);
    expect(filesBefore).toBe(16); // 8 commits × 2 event days
    expect(rowsBefore.length).toBeLessThan(offset); // the delete took some

    // What a compaction that died would leave: its scratch folder beside the table.
    const leftover = join(resolve(lakeDir.path), `.compaction-${MASTER_TABLE}-${'0'.repeat(32)}`);
    mkdirSync(join(leftover, 'data'), { recursive: true });

    const outcome = await maintain();
    expect(existsSync(leftover)).toBe(false);
    expect(outcome.compaction).toEqual({
      partitions: 2,
      dataFilesBefore: 16,
      dataFilesAfter: 2,
      removedDeleteFiles: 1,
      snapshotId: await currentSnapshot(client, MASTER_TABLE_CH),
    });
    expect(await dataFiles()).toBe(2);
    expect(await chdbRows()).toEqual(rowsBefore);
    expect(await pyIcebergRows(folder)).toEqual(rowsBefore);
    const [replace] = await query<{ operation: string; parent: string }>(
      `SELECT operation, toString(parent_id) AS parent FROM system.iceberg_history
       WHERE database = currentDatabase() AND table = '${MASTER_TABLE_CH}'
       ORDER BY made_current_at DESC LIMIT 1`,
    );
    expect(replace).toEqual({ operation: 'REPLACE', parent: snapshotBefore });

    // Time travel to the snapshot before the compaction: the old files, the same rows.
    const pinned = { iceberg_snapshot_id: String(snapshotBefore) };
    expect(await chdbRows(pinned)).toEqual(rowsBefore);
    expect(await pyIcebergRows(folder, snapshotBefore)).toEqual(rowsBefore);

    // Nothing left to compact: a second run commits nothing.
    const again = await maintain();
    expect(again.compaction).toEqual({
      partitions: 0,
      dataFilesBefore: 2,
      dataFilesAfter: 2,
      removedDeleteFiles: 0,
    });

    // ClickHouse appends on top of the replace snapshot; both readers see old and new rows.
    await commit(30);
    const rowsAfter = await chdbRows();
    expect(rowsAfter.length).toBe(rowsBefore.length + 30);
    expect(rowsAfter).toEqual(expect.arrayContaining(rowsBefore));
    expect(await pyIcebergRows(folder)).toEqual(rowsAfter);
    expect(await dataFiles()).toBe(4);
  }, 240_000);

  it('packs small files into files of up to the target; later runs only pack further, then stop', async () => {
    for (let i = 0; i < 6; i += 1) await commit(20 + i);
    const rowsBefore = await chdbRows();
    const sizes = await fileSizes();
    // Room for two or three of the new small files per group, not for the bigger compacted ones.
    const target = Math.floor(2.5 * Math.max(...sizes.slice(0, 12)));
    const small = sizes.filter((size) => size < target).length;
    expect(small).toBeGreaterThanOrEqual(12);

    const outcome = must(await maintain(target));
    expect(outcome.dataFilesAfter).toBeLessThan(outcome.dataFilesBefore);
    expect(outcome.dataFilesAfter).toBeGreaterThan(sizes.length - small);
    expect(Math.max(...(await fileSizes()))).toBeLessThanOrEqual(Math.max(target, ...sizes));
    expect(await chdbRows()).toEqual(rowsBefore);
    expect(await pyIcebergRows(folder)).toEqual(rowsBefore);
    // A rewritten file is smaller than its inputs together (less Parquet overhead), so a later run
    // may pack some again — each run leaves fewer files, and runs stop finding work.
    let files = outcome.dataFilesAfter;
    let runs = 0;
    for (
      let next = must(await maintain(target));
      next.partitions > 0;
      next = must(await maintain(target))
    ) {
      expect(next.dataFilesAfter).toBeLessThan(files);
      files = next.dataFilesAfter;
      runs += 1;
      expect(runs).toBeLessThan(5);
    }
    expect(await dataFiles()).toBe(files);
    expect(await chdbRows()).toEqual(rowsBefore);
  }, 240_000);
});
