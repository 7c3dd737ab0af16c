import { eventIdsDdl } from './event-ids-ddl';

describe(eventIdsDdl.name, () => {
  describe('single node', () => {
    const ddl = eventIdsDdl();
    const [table, view] = ddl.create;

    it('drops the view before its table, then creates the table, then the view', () => {
      expect(ddl.drop).toEqual([
        'DROP TABLE IF EXISTS mv_events_rt_ids',
        'DROP TABLE IF EXISTS events_rt_ids',
      ]);
      expect(ddl.create).toHaveLength(2);
      expect(table).toMatch(/^CREATE TABLE IF NOT EXISTS events_rt_ids\n\(/);
      expect(view).toMatch(
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS mv_events_rt_ids TO events_rt_ids AS\n/,
      );
    });

    it('orders ids by partition and id in small granules, with the inserts dedup window and a TTL of the id window', () => {
      expect(table).toContain(
        "  partition UInt32,\n  event_id UUID,\n  ingested_at DateTime64(3, 'UTC')\n",
      );
      expect(table).toContain('\nENGINE = MergeTree\nPARTITION BY toYYYYMMDD(ingested_at)\n');
      expect(table).toContain('\nORDER BY (partition, event_id)\n');
      expect(table).toContain('\nTTL toDateTime(ingested_at) + INTERVAL 24 HOUR\n');
      expect(table).toContain(
        '\nSETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1, index_granularity = 256,\n' +
          '  min_compress_block_size = 4096, max_compress_block_size = 4096',
      );
    });

    it('keeps only the rows of events_rt inside the window, in the view and in the backfill', () => {
      const select = [
        'SELECT _kafka_partition AS partition, event_id, _ingested_at AS ingested_at',
        'FROM events_rt',
        'WHERE _ingested_at >= now64(3) - INTERVAL 24 HOUR',
      ].join('\n');
      expect(view).toBe(
        `CREATE MATERIALIZED VIEW IF NOT EXISTS mv_events_rt_ids TO events_rt_ids AS\n${select}`,
      );
      expect(ddl.backfill).toBe(`INSERT INTO events_rt_ids\n${select}`);
    });

    it('takes the window and the dedup window from its options and refuses nonsense', () => {
      const [created, mv] = eventIdsDdl({ eventIdWindowHours: 48, dedupWindow: 250 }).create;
      expect(created).toContain('INTERVAL 48 HOUR');
      expect(created).toContain('non_replicated_deduplication_window = 250,');
      expect(mv).toContain('INTERVAL 48 HOUR');
      expect(() => eventIdsDdl({ eventIdWindowHours: 0.5 })).toThrow(
        'Invalid real-time DDL options: eventIdWindowHours must be a whole number of hours ≥ 1, got 0.5',
      );
    });
  });

  describe('cluster mode', () => {
    const ddl = eventIdsDdl({ cluster: { name: '{cluster}' } });
    const [local, distributed, view] = ddl.create;

    it('replicates events_rt_ids_local, shards it like events_rt and feeds it from events_rt_local', () => {
      expect(ddl.drop).toEqual([
        "DROP TABLE IF EXISTS mv_events_rt_ids ON CLUSTER '{cluster}' SYNC",
        "DROP TABLE IF EXISTS events_rt_ids ON CLUSTER '{cluster}' SYNC",
        "DROP TABLE IF EXISTS events_rt_ids_local ON CLUSTER '{cluster}' SYNC",
      ]);
      expect(local).toContain(
        "\nENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/events_rt_ids_local', '{replica}')\n",
      );
      expect(local).toContain('\nSETTINGS replicated_deduplication_window = 1000,');
      expect(distributed).toBe(
        [
          "CREATE TABLE IF NOT EXISTS events_rt_ids ON CLUSTER '{cluster}' AS events_rt_ids_local",
          "ENGINE = Distributed('{cluster}', currentDatabase(), events_rt_ids_local, cityHash64(event_id))",
        ].join('\n'),
      );
      expect(view).toMatch(
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS mv_events_rt_ids ON CLUSTER '\{cluster\}' TO events_rt_ids_local AS\n.*\nFROM events_rt_local\n/,
      );
      expect(ddl.backfill).toMatch(
        /^INSERT INTO events_rt_ids\n[^]*\nFROM events_rt\n[^]*\nSETTINGS distributed_foreground_insert = 1$/,
      );
    });
  });
});
