import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir, workspaceTempDir } from '@tributary/testing';
import { cutParams } from '@tributary/views';
import { createWarehouseClient } from '@tributary/warehouse';
import { dedupSelect } from './batch-runner';
import { ICEBERG_WRITE } from './iceberg';
import {
  eventsStagingDdl,
  MASTER_TABLE_CH,
  masterDatasetDdl,
  masterDatasetInsertSelect,
} from './master-dataset';

interface Copy {
  id: string;
  /** Tells the copies of one id apart in the answer. */
  type: string;
  day: '2026-03-01' | '2026-03-02';
  ingestedMinute: number;
  partition: number;
  offset: number;
}

const CUT = new Date('2026-03-03T00:30:00Z');
const ingestedAt = (minute: number) =>
  new Date(Date.parse('2026-03-03T00:00:00Z') + minute * 60_000);
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * The master dataset holds every copy of an event; a run's stage keeps, of each event_id ingested
 * before the cut, the copy ingested first — then the lowest partition, then the lowest offset.
 * The copies here differ in `type`, so the answer shows which one was kept.
 */
const COPIES: Copy[] = [
  // Three copies: the earliest ingestion wins, the lower partition breaks the tie.
  { id: uuid(1), type: 'later', day: '2026-03-01', ingestedMinute: 9, partition: 0, offset: 1 },
  { id: uuid(1), type: 'tie-p3', day: '2026-03-01', ingestedMinute: 2, partition: 3, offset: 0 },
  { id: uuid(1), type: 'kept', day: '2026-03-01', ingestedMinute: 2, partition: 1, offset: 50 },
  // Same ingestion and partition: the lower offset wins.
  { id: uuid(2), type: 'off-7', day: '2026-03-02', ingestedMinute: 5, partition: 4, offset: 7 },
  { id: uuid(2), type: 'kept', day: '2026-03-02', ingestedMinute: 5, partition: 4, offset: 5 },
  // A copy ingested after the cut does not exist for the run; the one before it is kept.
  { id: uuid(3), type: 'kept', day: '2026-03-01', ingestedMinute: 20, partition: 2, offset: 3 },
  {
    id: uuid(3),
    type: 'after-cut',
    day: '2026-03-01',
    ingestedMinute: 40,
    partition: 0,
    offset: 9,
  },
  // Ingested only after the cut: not in the run at all.
  {
    id: uuid(4),
    type: 'after-cut',
    day: '2026-03-02',
    ingestedMinute: 31,
    partition: 1,
    offset: 2,
  },
  // An event whose copy landed on another event day (a client that changed occurred_at).
  { id: uuid(5), type: 'kept', day: '2026-03-01', ingestedMinute: 1, partition: 0, offset: 4 },
  { id: uuid(5), type: 'other-day', day: '2026-03-02', ingestedMinute: 3, partition: 0, offset: 5 },
  // Events with one copy each pass as they are.
  ...Array.from({ length: 40 }, (_, i) => ({
    id: uuid(100 + i),
    type: 'kept',
    day: i % 2 === 0 ? ('2026-03-01' as const) : ('2026-03-02' as const),
    ingestedMinute: i % 29,
    partition: i % 6,
    offset: 100 + i,
  })),
];

/** Which of two copies came first: ingestion time, then partition, then offset. */
function earlier(a: Copy, b: Copy): boolean {
  const ka = [a.ingestedMinute, a.partition, a.offset];
  const kb = [b.ingestedMinute, b.partition, b.offset];
  const i = ka.findIndex((v, j) => v !== kb[j]);
  return i >= 0 && ka[i] < kb[i];
}

/** The reference: the rule applied in the test to the copies above. */
function expected(days?: readonly string[]): string[] {
  const first = new Map<string, Copy>();
  for (const copy of COPIES) {
    if (ingestedAt(copy.ingestedMinute) >= CUT || (days && !days.includes(copy.day))) continue;
    const held = first.get(copy.id);
    if (!held || earlier(copy, held)) first.set(copy.id, copy);
  }
  return [...first.values()].map((c) => `${c.id} ${c.type}`).sort();
}

describe('dedupSelect: the copies a batch run stages (chDB, Iceberg master dataset)', () => {
  let chdbDir: TempDir;
  let lakeDir: TempDir;
  let client: ClickHouseClient;

  beforeAll(async () => {
    chdbDir = tempDir('dedup-chdb');
    lakeDir = workspaceTempDir('dedup');
    client = createWarehouseClient({ kind: 'embedded', path: chdbDir.path });
    await client.command({
      query: masterDatasetDdl({ kind: 'local', root: lakeDir.path }),
      clickhouse_settings: ICEBERG_WRITE,
    });
    await client.command({ query: eventsStagingDdl('dedup_input', 'Memory') });
    await client.insert({
      table: 'dedup_input',
      format: 'JSONEachRow',
      values: COPIES.map((c) => ({
        event_id: c.id,
        type: c.type,
        occurred_at: `${c.day} 12:00:00.000`,
        _ingested_at: ingestedAt(c.ingestedMinute).toISOString().replace('T', ' ').slice(0, 23),
        _kafka_partition: c.partition,
        _kafka_offset: c.offset,
      })),
    });
    await client.command({
      query: `INSERT INTO ${MASTER_TABLE_CH} SELECT ${masterDatasetInsertSelect()} FROM dedup_input`,
      clickhouse_settings: ICEBERG_WRITE,
    });
  });

  afterAll(async () => {
    await client?.close();
    chdbDir?.remove();
    lakeDir?.remove();
  });

  async function staged(mode: 'full' | 'incremental', days: string[] = []): Promise<string[]> {
    const columns = new Set(['event_id', 'type', 'occurred_at', '_ingested_at']);
    const result = await client.query({
      query: `SELECT concat(toString(event_id), ' ', type) AS row
              FROM (${dedupSelect(mode, columns)}) ORDER BY row`,
      query_params: { ...cutParams(CUT), days },
      format: 'JSONEachRow',
    });
    return (await result.json<{ row: string }>()).map((r) => r.row);
  }

  it('keeps, of each event ingested before the cut, its first copy (ingestion, partition, offset)', async () => {
    const rows = await staged('full');
    expect(rows).toEqual(expected());
    expect(rows.every((row) => row.endsWith(' kept'))).toBe(true);
    expect(rows).toHaveLength(44); // ids 1, 2, 3, 5 and the 40 single ones
  });

  it('reads only the touched event days in an incremental run', async () => {
    const rows = await staged('incremental', ['2026-03-02']);
    expect(rows).toEqual(expected(['2026-03-02']));
    // On that day alone, id 5's copy there is its first.
    expect(rows).toContain(`${uuid(5)} other-day`);
    expect(rows).toContain(`${uuid(2)} kept`);
    expect(rows).not.toContain(`${uuid(1)} kept`);
  });
});
