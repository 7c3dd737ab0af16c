import { EVENTS_RT_COLUMNS, eventsTableDdl } from './events-table-ddl';

describe(eventsTableDdl.name, () => {
  describe('single node', () => {
    const [create, ttl, setting, dropBloom] = eventsTableDdl();

    it('has a column for every StoredEvent field plus the Kafka position', () => {
      expect(EVENTS_RT_COLUMNS.map(([name]) => name)).toEqual([
        'event_id',
        'type',
        'schema_version',
        'occurred_at',
        'subject_id',
        'properties',
        '_ingested_at',
        '_source',
        '_correlation_id',
        '_schema_version',
        '_kafka_partition',
        '_kafka_offset',
      ]);
      expect(create).toContain("  occurred_at DateTime64(3, 'UTC'),\n");
      expect(create).toContain("  _ingested_at DateTime64(3, 'UTC'),\n");
      expect(create).toContain('  properties String,\n');
      expect(create).toContain('  _kafka_partition UInt32,\n  _kafka_offset UInt64\n)\n');
    });

    it('is a MergeTree partitioned by ingestion day, with TTL and dedup window', () => {
      expect(create).toMatch(/^CREATE TABLE IF NOT EXISTS events_rt\n\(/);
      expect(create).toContain('\nENGINE = MergeTree\nPARTITION BY toYYYYMMDD(_ingested_at)\n');
      expect(create).toContain('\nORDER BY (type, occurred_at, event_id)\n');
      expect(create).toContain('\nTTL toDateTime(_ingested_at) + INTERVAL 7 DAY\n');
      expect(create).toMatch(
        /\nSETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1$/,
      );
    });

    it('restates TTL and dedup window so a changed setting reaches an existing table', () => {
      expect(ttl).toBe(
        'ALTER TABLE events_rt MODIFY TTL toDateTime(_ingested_at) + INTERVAL 7 DAY',
      );
      expect(setting).toBe(
        'ALTER TABLE events_rt MODIFY SETTING non_replicated_deduplication_window = 1000',
      );
    });

    it('has no event_id index and drops the bloom filter an older version created', () => {
      expect(create).not.toContain('INDEX');
      expect(dropBloom).toBe('ALTER TABLE events_rt DROP INDEX IF EXISTS event_id_bloom');
    });

    it('takes retention and dedup window from its options and refuses nonsense', () => {
      const [created] = eventsTableDdl({ eventsRetentionDays: 3, dedupWindow: 250 });
      expect(created).toContain('INTERVAL 3 DAY');
      expect(created).toContain('non_replicated_deduplication_window = 250,');
      expect(() => eventsTableDdl({ dedupWindow: 0 })).toThrow(
        'Invalid real-time DDL options: dedupWindow must be a whole number of inserts ≥ 1, got 0',
      );
    });
  });

  describe('cluster mode', () => {
    const [local, distributed, ttl] = eventsTableDdl({ cluster: { name: '{cluster}' } });

    it('replicates events_rt_local and shards the Distributed events_rt by event_id', () => {
      expect(local).toMatch(
        /^CREATE TABLE IF NOT EXISTS events_rt_local ON CLUSTER '\{cluster\}'\n/,
      );
      expect(local).toContain(
        "\nENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/events_rt_local', '{replica}')\n",
      );
      expect(local).toContain(
        '\nSETTINGS replicated_deduplication_window = 1000, ttl_only_drop_parts = 1',
      );
      expect(distributed).toBe(
        [
          "CREATE TABLE IF NOT EXISTS events_rt ON CLUSTER '{cluster}' AS events_rt_local",
          "ENGINE = Distributed('{cluster}', currentDatabase(), events_rt_local, cityHash64(event_id))",
        ].join('\n'),
      );
      expect(ttl).toBe(
        "ALTER TABLE events_rt_local ON CLUSTER '{cluster}' MODIFY TTL toDateTime(_ingested_at) + INTERVAL 7 DAY",
      );
    });
  });
});
