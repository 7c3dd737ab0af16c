import type { ClickHouseClient } from '@clickhouse/client';
import type { StoredEvent } from '@tributary/contracts';
import { tempDir, type TempDir } from '@tributary/testing';
import { applyWarehouseMigrations, createWarehouseClient } from '@tributary/warehouse';
import fc from 'fast-check';
import {
  rollupTable,
  servingCopyDdl,
  servingCopyLoadSql,
  servingRollupSql,
} from './compile/batch-view-sql';
import { finestGrain } from './compile/grain-sql';
import { alignCut, cutParams } from './compile/cut';
import { EVENTS_TABLE } from './compile/events-table-ddl';
import { type QueryFilter, QueryError, servingQuerySql } from './compile/serving-query-sql';
import { DEFAULT_VIEWS } from './defaults/default-views';
import { demoEvents } from './demo/demo-events';
import type { Grain, ViewDefinition } from './definition/view-definition';
import { toEventsRtRow } from './events-rt-row';
import { realtimeMigrations } from './migrations/realtime-migrations';
import { referenceRows, type ViewRow } from './reference/reference-rows';
import { sortViewRows } from './reference/sort-view-rows';

const HOUR = 3_600_000;

/**
 * The serving query (ARCHITECTURE G3) on chDB: random queries — chosen dimensions and measures,
 * filters of every operator, bucket ranges, a batch copy at a random cut or none, time travel —
 * each equal to the reference computed in TypeScript from the same events.
 */
describe(servingQuerySql.name, () => {
  let dir: TempDir;
  let client: ClickHouseClient;
  let events: StoredEvent[];
  let start: Date;
  const cuts = [0, 25, 61, 119, 180].map((minutes) => minutes * 60_000);
  /** Serving copy per (view, cut offset), loaded from events_rt with `_ingested_at < cut`. */
  const copies = new Map<string, string>();

  beforeAll(async () => {
    dir = tempDir('serving-query');
    client = createWarehouseClient({ kind: 'embedded', path: dir.path });
    await applyWarehouseMigrations(client, realtimeMigrations(DEFAULT_VIEWS));
    start = new Date(alignCut(new Date()).getTime() - 3 * HOUR);
    events = demoEvents({
      count: 2500,
      seed: 17,
      ingestedFrom: start,
      ingestedSpanMs: 3 * HOUR - 1,
    });
    await client.insert({
      table: EVENTS_TABLE,
      values: events.map((e, i) => toEventsRtRow(e, { partition: 0, offset: String(i) })),
      format: 'JSONEachRow',
    });
    for (const view of DEFAULT_VIEWS) {
      for (const offset of cuts) {
        const table = `bvq_${view.name}_${offset / 60_000}`;
        await client.command({ query: servingCopyDdl(view, table) });
        await client.command({
          query: servingCopyLoadSql(view, { relation: EVENTS_TABLE, into: table, cut: true }),
          query_params: cutParams(new Date(start.getTime() + offset)),
        });
        copies.set(`${view.name}:${offset}`, table);
        for (const grain of view.grains.filter((g) => g !== finestGrain(view))) {
          const rollup = rollupTable(table, grain);
          await client.command({ query: servingCopyDdl(view, rollup) });
          await client.command({
            query: servingRollupSql(view, grain, { from: table, into: rollup }),
          });
          copies.set(`${view.name}:${offset}:${grain}`, rollup);
        }
      }
    }
  });

  afterAll(async () => {
    await client?.close();
    dir?.remove();
  });

  async function run(view: ViewDefinition, query: Parameters<typeof servingQuerySql>[1]) {
    const { sql, params } = servingQuerySql(view, query);
    const result = await client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    return result.json<ViewRow>();
  }

  /** A filter on one of the view's dimensions, with values seen in the data (or not). */
  function filterArbitrary(view: ViewDefinition): fc.Arbitrary<QueryFilter> {
    return fc.constantFrom(...view.dimensions).chain((dimension) => {
      const seen = [
        ...new Set(referenceRows(view, 'day', events).map((r) => r[dimension.name])),
      ].filter((v) => v !== null) as Array<string | number | boolean>;
      const value = fc.oneof(
        fc.constantFrom(...(seen.length > 0 ? seen : [''])),
        typeof seen[0] === 'string'
          ? fc.constantFrom("x' OR 1=1 --", 'é\u0000;')
          : fc.constant(seen[0] ?? ''),
      );
      const ops =
        typeof seen[0] === 'boolean'
          ? (['eq', 'ne', 'in', 'nin'] as const)
          : (['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte'] as const);
      return fc
        .constantFrom(...ops)
        .chain((op) =>
          (op === 'in' || op === 'nin'
            ? fc.array(value, { minLength: 1, maxLength: 3 })
            : value.map((v) => [v])
          ).map((values) => ({ dimension: dimension.name, op, values })),
        );
    });
  }

  it('equals the reference for random queries, with or without a batch copy at any cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...DEFAULT_VIEWS).chain((view) =>
          fc.record({
            view: fc.constant(view),
            grain: fc.constantFrom(...(view.grains as Grain[])),
            dimensions: fc.subarray(view.dimensions.map((d) => d.name)),
            measures: fc.subarray(
              view.measures.map((m) => m.name),
              { minLength: 1 },
            ),
            filters: fc.array(filterArbitrary(view), { maxLength: 2 }),
            cut: fc.option(fc.constantFrom(...cuts), { nil: undefined }),
            range: fc.option(
              fc.tuple(fc.integer({ min: -80, max: 0 }), fc.integer({ min: 1, max: 60 })),
              {
                nil: undefined,
              },
            ),
            order: fc.constantFrom('asc' as const, 'desc' as const),
            rollup: fc.boolean(),
          }),
        ),
        async ({ view, grain, dimensions, measures, filters, cut, range, order, rollup }) => {
          const from = range && new Date(start.getTime() + range[0] * HOUR);
          const to = range && new Date(start.getTime() + range[1] * HOUR);
          const rows = await run(view, {
            grain,
            dimensions,
            measures,
            filters,
            from,
            to,
            order,
            limit: 100_000,
            batch:
              cut === undefined
                ? undefined
                : {
                    table: ((rollup && copies.get(`${view.name}:${cut}:${grain}`)) ||
                      copies.get(`${view.name}:${cut}`)) as string,
                    cut: new Date(start.getTime() + cut),
                  },
          });
          const expected = referenceRows(
            view,
            grain,
            events,
            {},
            { dimensions, measures, filters },
          ).filter(
            (r) =>
              (!from || String(r.bucket) >= formatUtc(from)) &&
              (!to || String(r.bucket) < formatUtc(to)),
          );
          const shaped = {
            ...view,
            dimensions: view.dimensions.filter((d) => dimensions.includes(d.name)),
          };
          expect(sortViewRows(shaped, rows)).toEqual(sortViewRows(shaped, expected));
          if (order === 'desc' && rows.length > 1)
            expect(String(rows[0]?.bucket) >= String(rows[rows.length - 1]?.bucket)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('travels back: the batch copy alone answers as of its cut', async () => {
    const view = DEFAULT_VIEWS[0] as ViewDefinition;
    const cut = new Date(start.getTime() + 61 * 60_000);
    const rows = await run(view, {
      grain: 'day',
      dimensions: view.dimensions.map((d) => d.name),
      measures: view.measures.map((m) => m.name),
      limit: 10_000,
      batch: { table: copies.get(`${view.name}:${61 * 60_000}`) as string, cut },
      batchOnly: true,
    });
    expect(sortViewRows(view, rows)).toEqual(referenceRows(view, 'day', events, { before: cut }));
  });

  it('buckets days in a time zone: each local day sums its hours', async () => {
    const view = DEFAULT_VIEWS[0] as ViewDefinition;
    const base = { dimensions: ['type'], measures: ['events'], limit: 100_000 };
    const hours = await run(view, { ...base, grain: 'hour' });
    const days = await run(view, { ...base, grain: 'day', timeZone: 'America/New_York' });
    const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' });
    const expected = new Map<string, number>();
    for (const row of hours) {
      const key = `${localDate.format(new Date(`${String(row.bucket).replace(' ', 'T')}Z`))} ${String(row.type)}`;
      expected.set(key, (expected.get(key) ?? 0) + Number(row.events));
    }
    const got = new Map(
      days.map((r) => [`${String(r.bucket).slice(0, 10)} ${String(r.type)}`, Number(r.events)]),
    );
    expect(got).toEqual(expected);
    expect(days.every((r) => String(r.bucket).endsWith(' 00:00:00'))).toBe(true);
    expect(() =>
      servingQuerySql(view, { ...base, grain: 'day', timeZone: 'Mars/Olympus' }),
    ).toThrow(/unknown time zone 'Mars\/Olympus'/);
    expect(() =>
      servingQuerySql(view, { ...base, grain: 'hour', timeZone: 'Europe/Paris' }),
    ).toThrow(/tz applies to the day grain only/);
  });

  it('pages with limit and offset in a stable order', async () => {
    const view = DEFAULT_VIEWS[0] as ViewDefinition;
    const query = {
      grain: 'hour' as const,
      dimensions: view.dimensions.map((d) => d.name),
      measures: view.measures.map((m) => m.name),
      limit: 100_000,
    };
    const all = await run(view, query);
    const page = await run(view, { ...query, limit: 7, offset: 5 });
    expect(page).toEqual(all.slice(5, 12));
  });

  it.each([
    [{ dimensions: ['type; DROP TABLE events_rt'] }, /is not a dimension of view/],
    [{ measures: ['events) FROM system.users --'] }, /is not a measure of view/],
    [{ filters: [{ dimension: 'nope', op: 'eq', values: ['x'] }] }, /cannot filter on 'nope'/],
    [
      { filters: [{ dimension: 'type', op: 'like', values: ['%'] }] },
      /unknown filter operator 'like'/,
    ],
    [
      { filters: [{ dimension: 'type', op: 'eq', values: [1] }] },
      /type takes String values, not 1/,
    ],
    [{ filters: [{ dimension: 'type', op: 'in', values: [] }] }, /'in' on type needs values/],
    [{ limit: 0 }, /limit must be ≥ 1/],
  ])('refuses %j with the reason', (override, reason) => {
    const view = DEFAULT_VIEWS[0] as ViewDefinition;
    const compile = () =>
      servingQuerySql(view, {
        grain: 'day',
        dimensions: [],
        measures: ['events'],
        limit: 10,
        ...(override as object),
      } as Parameters<typeof servingQuerySql>[1]);
    expect(compile).toThrow(QueryError);
    expect(compile).toThrow(reason);
  });
});

/** A time as the compiled query prints buckets: `YYYY-MM-DD hh:mm:ss`, UTC. */
function formatUtc(at: Date): string {
  return at.toISOString().replace('T', ' ').slice(0, 19);
}
