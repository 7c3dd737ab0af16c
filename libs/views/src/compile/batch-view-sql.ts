import type { Grain, ViewDefinition } from '../definition/view-definition';
import { assertValidView } from '../definition/validate-views';
import { CUT_SQL } from './cut';
import { fieldSql } from './field-sql';
import { assertGrain, bucketSql, finestGrain } from './grain-sql';
import { measureSql } from './measure-sql';
import { mergeWithRealtime } from './merged-read-sql';
import { assertRelation } from './batch-sql';
import { rollupColumns } from './realtime-read-sql';
import { outputOrder, selectFromEvents } from './select-from-events';

/** Alias of the batch serving copy in compiled reads. */
const BV = 'b';

/** The ClickHouse serving copy of a view's published batch result: `bv_<view>`. */
export function servingTable(view: ViewDefinition): string {
  return `bv_${view.name}`;
}

/**
 * DDL of a serving copy (or of a run's candidate copy, `table`): the real-time table's layout
 * without the ingestion bucket — aggregate states per (event-time bucket at the finest grain,
 * dimensions) — so coarser grains roll up and unique counts merge with the real-time side.
 */
export function servingCopyDdl(view: ViewDefinition, table: string): string {
  assertValidView(view);
  assertRelation(table);
  const columns = [
    "event_bucket DateTime('UTC')",
    ...view.dimensions.map((d) => `${d.name} ${fieldSql(d).dimensionType}`),
    ...view.measures.map((m) => `${m.name} ${measureSql(m).stateType}`),
  ];
  return [
    `CREATE TABLE IF NOT EXISTS ${table}`,
    '(',
    columns.map((c) => `  ${c}`).join(',\n'),
    ')',
    'ENGINE = AggregatingMergeTree',
    `ORDER BY (${['event_bucket', ...view.dimensions.map((d) => d.name)].join(', ')})`,
  ].join('\n');
}

/**
 * Fills a serving copy from deduplicated events (`relation`, events_rt's columns): the view's one
 * aggregation at its finest grain, as states. `cut: true` keeps events ingested before the cut.
 */
export function servingCopyLoadSql(
  view: ViewDefinition,
  options: { readonly relation: string; readonly into: string; readonly cut?: boolean },
): string {
  assertRelation(options.into);
  assertRelation(options.relation);
  return [
    `INSERT INTO ${options.into}`,
    selectFromEvents(view, {
      relation: options.relation,
      bucket: { column: 'event_bucket', grain: finestGrain(view) },
      ingestedBucket: false,
      form: 'state',
      where: options.cut ? [`e._ingested_at < ${CUT_SQL}`] : [],
    }),
  ].join('\n');
}

/**
 * A read of a serving copy at `grain`: rolls its buckets up and finalizes (or merges states, for
 * a union with the real-time side). Same columns and order as the batch SQL.
 */
export function servingCopyReadSql(
  view: ViewDefinition,
  grain: Grain,
  options: { readonly table: string; readonly form?: 'final' | 'state' },
): string {
  assertValidView(view);
  assertGrain(view, grain);
  assertRelation(options.table);
  const form = options.form ?? 'final';
  const columns = rollupColumns(view, grain, BV, form);
  return [
    'SELECT',
    columns.map((c) => `  ${c}`).join(',\n'),
    `FROM ${options.table} AS ${BV}`,
    `GROUP BY ${outputOrder(view)}`,
    ...(form === 'final' ? [`ORDER BY ${outputOrder(view)}`] : []),
  ].join('\n');
}

/**
 * The exact answer at a cut T_b (ARCHITECTURE §3): the published batch serving copy (events
 * ingested before T_b) UNION ALL the real-time states ingested at or after T_b, merged and
 * finalized in one query. Needs the `cut` query parameter (cutParams) = the copy's watermark.
 */
export function servingMergedReadSql(
  view: ViewDefinition,
  grain: Grain,
  options: { readonly table: string },
): string {
  return mergeWithRealtime(
    view,
    grain,
    servingCopyReadSql(view, grain, { table: options.table, form: 'state' }),
  );
}

/**
 * The roll-up of a serving copy to a coarser grain, same layout (`event_bucket` then holds the
 * grain's buckets): a query at that grain reads far fewer rows, with the same result, since
 * rolling an aligned bucket up again changes nothing.
 */
export function servingRollupSql(
  view: ViewDefinition,
  grain: Grain,
  options: { readonly from: string; readonly into: string },
): string {
  assertValidView(view);
  assertGrain(view, grain);
  assertRelation(options.from);
  assertRelation(options.into);
  const dims = view.dimensions.map((d) => d.name);
  return [
    `INSERT INTO ${options.into}`,
    'SELECT',
    [
      `${bucketSql(grain, `${BV}.event_bucket`)} AS event_bucket`,
      ...dims.map((d) => `${BV}.${d} AS ${d}`),
      ...view.measures.map((m) => `${measureSql(m).mergeState(`${BV}.${m.name}`)} AS ${m.name}`),
    ]
      .map((c) => `  ${c}`)
      .join(',\n'),
    `FROM ${options.from} AS ${BV}`,
    `GROUP BY ${['event_bucket', ...dims].join(', ')}`,
  ].join('\n');
}

/** The table of a copy's roll-up to `grain`: `<copy>_<grain>`. */
export function rollupTable(copy: string, grain: Grain): string {
  return `${copy}_${grain}`;
}
