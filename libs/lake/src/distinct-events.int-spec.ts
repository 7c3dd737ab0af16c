import type { ClickHouseClient } from '@clickhouse/client';
import { tempDir, type TempDir, workspaceTempDir } from '@tributary/testing';
import { cutParams } from '@tributary/views';
import { createWarehouseClient } from '@tributary/warehouse';
import { DISTINCT_TABLE, DistinctEvents } from './distinct-events';
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
/** After every copy's ingestion. */
const END = new Date('2026-03-03T01:00:00Z');
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

/** The reference: the rule applied in the test to the copies ingested before `cut`. */
function expected(cut: Date): string[] {
  const first = new Map<string, Copy>();
  for (const copy of COPIES) {
    if (ingestedAt(copy.ingestedMinute) >= cut) continue;
    const held = first.get(copy.id);
    if (!held || earlier(copy, held)) first.set(copy.id, copy);
  }
  return [...first.values()].map((c) => `${c.id} ${c.type}`).sort();
}

describe('DistinctEvents: the staged master dataset, each event once (chDB, Iceberg)', () => {
  let chdbDir: TempDir;
  let lakeDir: TempDir;
  let client: ClickHouseClient;
  let distinct: DistinctEvents;

  beforeAll(async () => {
    chdbDir = tempDir('distinct-chdb');
    lakeDir = workspaceTempDir('distinct');
    client = createWarehouseClient({ kind: 'embedded', path: chdbDir.path });
    await client.command({
      query: masterDatasetDdl({ kind: 'local', root: lakeDir.path }),
      clickhouse_settings: ICEBERG_WRITE,
    });
    await client.command({ query: eventsStagingDdl('copies', 'Memory') });
    await client.insert({
      table: 'copies',
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
      query: `INSERT INTO ${MASTER_TABLE_CH} SELECT ${masterDatasetInsertSelect()} FROM copies`,
      clickhouse_settings: ICEBERG_WRITE,
    });
    distinct = new DistinctEvents({ client });
  });

  afterAll(async () => {
    await client?.close();
    chdbDir?.remove();
    lakeDir?.remove();
  });

  /** The rows of `table` ingested before `cut`, as `<id> <type>`. */
  async function rows(table: string = DISTINCT_TABLE, cut = END): Promise<string[]> {
    const result = await client.query({
      query: `SELECT concat(toString(event_id), ' ', type) AS row FROM ${table}
              WHERE _ingested_at < {cut:DateTime64(3, 'UTC')} ORDER BY row`,
      query_params: cutParams(cut),
      format: 'JSONEachRow',
    });
    return (await result.json<{ row: string }>()).map((r) => r.row);
  }

  it('keeps, of each event ingested before the mark, its first copy (ingestion, partition, offset)', async () => {
    expect(await distinct.through()).toBeUndefined();
    const staged = await distinct.advance(CUT);
    expect(staged).toEqual({ from: undefined, to: CUT, rows: 44 }); // ids 1, 2, 3, 5, 40 single
    expect(await distinct.through()).toEqual(CUT);
    expect(await rows()).toEqual(expected(CUT));
    expect((await rows()).every((row) => row.endsWith(' kept'))).toBe(true);
    // An event whose copy carries another event day is still one event (not one per day).
    expect(await rows()).not.toContain(`${uuid(5)} other-day`);
  });

  it('reads any earlier cut off the same rows: the first copy is never ingested after another', async () => {
    for (const minute of [0, 2, 3, 5, 20, 29]) {
      expect(await rows(DISTINCT_TABLE, ingestedAt(minute))).toEqual(expected(ingestedAt(minute)));
    }
  });

  it('stages a tail beyond the mark without keeping it, minus the events already stored', async () => {
    const tail = await distinct.stageTail(CUT, END);
    try {
      // id 3's later copy is a copy of a stored event; id 4 is new.
      expect(await rows(tail)).toEqual([`${uuid(4)} after-cut`]);
      expect(await distinct.through()).toEqual(CUT);
    } finally {
      await client.command({ query: `DROP TABLE ${tail}` });
    }
  });

  it('advances by what was ingested since, exactly, also after an append that died before its mark', async () => {
    // A step that appended its rows and died before it recorded how far it got.
    await client.command({
      query: `INSERT INTO ${DISTINCT_TABLE} SELECT * FROM copies
              WHERE event_id = {id:UUID} AND type = 'after-cut'`,
      query_params: { id: uuid(4) },
    });
    const staged = await distinct.advance(END);
    expect(staged).toEqual({ from: CUT, to: END, rows: 0 });
    expect(await rows()).toEqual(expected(END));
    // Advancing again, or to an earlier instant, changes nothing.
    expect(await distinct.advance(CUT)).toMatchObject({ rows: 0 });
    expect(await rows()).toEqual(expected(END));
  });

  it('serializes concurrent advances of one process: no event is appended twice', async () => {
    await distinct.restage(CUT);
    expect(await rows()).toEqual(expected(CUT));
    const both = await Promise.all([distinct.advance(END), distinct.advance(END)]);
    expect(both.map((s) => s.rows).sort()).toEqual([0, 1]);
    expect(await rows()).toEqual(expected(END));
  });

  it('restages from the whole master dataset and swaps the result in', async () => {
    await client.command({ query: `INSERT INTO ${DISTINCT_TABLE} SELECT * FROM copies LIMIT 3` });
    expect(await rows()).not.toEqual(expected(END));
    expect(await distinct.restage(END)).toEqual({ from: undefined, to: END, rows: 45 });
    expect(await rows()).toEqual(expected(END));
    expect(await distinct.through()).toEqual(END);
  });
});
