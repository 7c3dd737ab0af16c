import { PAGE_VIEWS_BY_PATH, REVENUE_BY_CURRENCY } from '../defaults/default-views';
import { materializedView, realtimeTable, realtimeViewDdl } from './realtime-view-ddl';

describe(realtimeViewDdl.name, () => {
  describe('single node', () => {
    const ddl = realtimeViewDdl(REVENUE_BY_CURRENCY);
    const [table, view] = ddl.create;

    it('keys an AggregatingMergeTree by event-time bucket, ingestion-time bucket and dimensions', () => {
      expect(table).toContain('CREATE TABLE IF NOT EXISTS rt_revenue_by_currency\n(');
      expect(table).toContain(
        "  event_bucket DateTime('UTC'),\n  ingested_bucket DateTime('UTC'),",
      );
      expect(table).toContain('\nENGINE = AggregatingMergeTree\n');
      expect(table).toContain('\nORDER BY (event_bucket, ingested_bucket, currency)\n');
      expect(table).toContain('\nTTL ingested_bucket + INTERVAL 14 DAY\n');
    });

    it('holds aggregate states typed by the measure and its argument', () => {
      expect(table).toContain('  orders AggregateFunction(count),');
      expect(table).toContain('  revenue AggregateFunction(sum, Nullable(Float64)),');
      expect(table).toContain('  smallest_order AggregateFunction(min, Nullable(Float64)),');
      expect(table).toContain('  items AggregateFunction(sum, Nullable(Int64))\n');
      expect(realtimeViewDdl(PAGE_VIEWS_BY_PATH).create[0]).toContain(
        '  viewers AggregateFunction(uniqExact, Nullable(String))',
      );
    });

    it('carries the same dedup window as events_rt, so repeated inserts are dropped in the view too', () => {
      expect(table).toMatch(
        /\nSETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1$/,
      );
      expect(realtimeViewDdl(REVENUE_BY_CURRENCY, { dedupWindow: 50 }).create[0]).toContain(
        'non_replicated_deduplication_window = 50,',
      );
    });

    it('feeds the table from events_rt with a materialized view bucketing ingestion time by the minute', () => {
      expect(view).toMatch(
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS mv_revenue_by_currency TO rt_revenue_by_currency AS\nSELECT\n/,
      );
      expect(view).toContain("  toStartOfHour(e.occurred_at, 'UTC') AS event_bucket,");
      expect(view).toContain("  toStartOfMinute(e._ingested_at, 'UTC') AS ingested_bucket,");
      expect(view).toContain(
        "  sumState(if(JSONType(e.properties, 'amount') IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(e.properties, 'amount'), NULL)) AS revenue,",
      );
      expect(view).toContain("\nFROM events_rt AS e\nWHERE e.type IN ('order.placed')\n");
      expect(view).toMatch(/\nGROUP BY event_bucket, ingested_bucket, currency$/);
    });

    it('applies the view filters inside the materialized view', () => {
      expect(realtimeViewDdl(PAGE_VIEWS_BY_PATH).create[1]).toContain(
        "\n  AND if(JSONType(e.properties, 'device') = 'String', JSONExtractString(e.properties, 'device'), '') IN ('desktop', 'mobile', 'tablet')\n",
      );
    });

    it('drops the materialized view before its table and backfills the new table from events_rt', () => {
      expect(ddl.drop).toEqual([
        'DROP TABLE IF EXISTS mv_revenue_by_currency',
        'DROP TABLE IF EXISTS rt_revenue_by_currency',
      ]);
      expect(ddl.backfill).toMatch(/^INSERT INTO rt_revenue_by_currency\nSELECT\n/);
      expect(ddl.backfill).toContain('\nFROM events_rt AS e\n');
    });
  });

  describe('cluster mode', () => {
    const ddl = realtimeViewDdl(REVENUE_BY_CURRENCY, { cluster: { name: '{cluster}' } });
    const [local, distributed, view] = ddl.create;

    it('stores rows in a ReplicatedAggregatingMergeTree created ON CLUSTER', () => {
      expect(local).toMatch(
        /^CREATE TABLE IF NOT EXISTS rt_revenue_by_currency_local ON CLUSTER '\{cluster\}'\n\(/,
      );
      expect(local).toContain(
        "\nENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/rt_revenue_by_currency_local', '{replica}')\n",
      );
      expect(local).toContain(
        '\nSETTINGS replicated_deduplication_window = 1000, ttl_only_drop_parts = 1',
      );
    });

    it('reads through a Distributed table under the plain name', () => {
      expect(distributed).toBe(
        [
          "CREATE TABLE IF NOT EXISTS rt_revenue_by_currency ON CLUSTER '{cluster}' AS rt_revenue_by_currency_local",
          "ENGINE = Distributed('{cluster}', currentDatabase(), rt_revenue_by_currency_local, rand())",
        ].join('\n'),
      );
    });

    it('runs the materialized view on every shard, from events_rt_local into the local table', () => {
      expect(view).toMatch(
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS mv_revenue_by_currency ON CLUSTER '\{cluster\}' TO rt_revenue_by_currency_local AS\n/,
      );
      expect(view).toContain('\nFROM events_rt_local AS e\n');
    });

    it('drops every copy synchronously and backfills through the Distributed tables', () => {
      expect(ddl.drop).toEqual([
        "DROP TABLE IF EXISTS mv_revenue_by_currency ON CLUSTER '{cluster}' SYNC",
        "DROP TABLE IF EXISTS rt_revenue_by_currency ON CLUSTER '{cluster}' SYNC",
        "DROP TABLE IF EXISTS rt_revenue_by_currency_local ON CLUSTER '{cluster}' SYNC",
      ]);
      expect(ddl.backfill).toMatch(/^INSERT INTO rt_revenue_by_currency\n/);
      expect(ddl.backfill).toContain('\nFROM events_rt AS e\n');
      expect(ddl.backfill).toMatch(/\nSETTINGS distributed_foreground_insert = 1$/);
    });

    it('takes a named cluster and refuses a name outside the allow-list', () => {
      expect(realtimeViewDdl(REVENUE_BY_CURRENCY, { cluster: { name: 'analytics' } }).drop[0]).toBe(
        "DROP TABLE IF EXISTS mv_revenue_by_currency ON CLUSTER 'analytics' SYNC",
      );
      expect(() => realtimeViewDdl(REVENUE_BY_CURRENCY, { cluster: { name: "x' --" } })).toThrow(
        /cluster name/,
      );
    });
  });

  describe('names', () => {
    it('names the table rt_<view> and the materialized view mv_<view>', () => {
      expect(realtimeTable(REVENUE_BY_CURRENCY)).toBe('rt_revenue_by_currency');
      expect(materializedView(REVENUE_BY_CURRENCY)).toBe('mv_revenue_by_currency');
    });
  });
});
