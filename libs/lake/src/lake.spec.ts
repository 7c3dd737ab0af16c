import { icebergColumnType } from './batch-runner';
import { completeThrough } from './complete-through';
import { checkLakeLocation, icebergEngine, LakeLocationError } from './lake-location';
import { masterDatasetDdl } from './master-dataset';

const at = (iso: string) => new Date(iso);

describe(completeThrough.name, () => {
  const checkedAt = at('2026-11-26T12:00:00Z');
  const progress = [
    { topic: 't', partition: 0, lastOffset: 99n, maxIngestedAt: at('2026-11-26T11:50:00Z') },
    { topic: 't', partition: 1, lastOffset: 9n, maxIngestedAt: at('2026-11-26T11:40:00Z') },
  ];

  it('is the check time for partitions the lake has caught up with, minus the lag', () => {
    const ends = new Map([
      [0, 100n],
      [1, 10n],
      [2, 0n],
    ]);
    expect(completeThrough(progress, ends, checkedAt, 60_000)).toEqual(at('2026-11-26T11:59:00Z'));
  });

  it('is held back by the newest event of a partition that is still behind', () => {
    const ends = new Map([
      [0, 100n],
      [1, 50n],
    ]);
    expect(completeThrough(progress, ends, checkedAt, 0)).toEqual(at('2026-11-26T11:40:00Z'));
  });

  it('is unknown while a partition with events has none in the lake', () => {
    const ends = new Map([
      [0, 100n],
      [1, 10n],
      [2, 5n],
    ]);
    expect(completeThrough(progress, ends, checkedAt, 0)).toBeUndefined();
  });
});

describe(checkLakeLocation.name, () => {
  it.each(['/var/lake', '../lake', '.', "lake'); DROP TABLE x; --"])(
    'refuses %s, naming the expected form',
    (root) => {
      expect(() => checkLakeLocation({ kind: 'local', root })).toThrow(LakeLocationError);
      expect(() => checkLakeLocation({ kind: 'local', root })).toThrow(
        /inside the working directory/,
      );
    },
  );

  it('builds the engine clause of local and S3 tables', () => {
    expect(icebergEngine({ kind: 'local', root: '.tributary/lake/' }, 'events')).toBe(
      `IcebergLocal('${process.cwd()}/.tributary/lake/events')`,
    );
    expect(icebergEngine({ kind: 's3', url: 'https://minio:9000/lake' }, 'events')).toBe(
      "IcebergS3('https://minio:9000/lake/events/')",
    );
    expect(() => icebergEngine({ kind: 's3', url: "https://x/'" }, 'events')).toThrow(
      LakeLocationError,
    );
  });

  it('partitions the master dataset by event day with Iceberg-writable types', () => {
    const ddl = masterDatasetDdl({ kind: 'local', root: 'lake' });
    expect(ddl).toContain('PARTITION BY toRelativeDayNum(occurred_at)');
    expect(ddl).toContain("occurred_at DateTime64(6, 'UTC')");
    expect(ddl).not.toMatch(/LowCardinality|UUID|UInt/);
  });
});

describe(icebergColumnType.name, () => {
  it.each([
    ['LowCardinality(String)', 'String'],
    ['UInt64', 'Int64'],
    ['Nullable(Float64)', 'Nullable(Float64)'],
    ["DateTime('UTC')", "DateTime64(6, 'UTC')"],
    ['Bool', 'Int32'],
  ])('maps %s to %s', (from, to) => {
    expect(icebergColumnType(from)).toBe(to);
  });
});
