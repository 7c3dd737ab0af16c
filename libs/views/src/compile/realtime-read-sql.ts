import type { Grain, ViewDefinition } from '../definition/view-definition';
import { assertValidView } from '../definition/validate-views';
import { CUT_SQL } from './cut';
import { assertGrain, bucketSql } from './grain-sql';
import { measureSql } from './measure-sql';
import { realtimeTable } from './realtime-view-ddl';
import { outputOrder } from './select-from-events';

/** Alias of the real-time table in compiled reads. */
const RT = 'r';

export interface RealtimeReadOptions {
  /** Only rows ingested at or after the cut: `ingested_bucket >= {cut:DateTime64(3, 'UTC')}`. */
  readonly cut?: boolean;
  /** `final` (default): finalized measures; `state`: merged states, to combine with the batch side. */
  readonly form?: 'final' | 'state';
}

/**
 * The real-time read of one view at one grain: rolls the stored event-time buckets up to `grain`
 * and finalizes the states (countMerge, sumMerge, …) over every ingestion bucket, or only those at
 * or after a cut. Same columns and order as the batch SQL.
 */
export function realtimeReadSql(
  view: ViewDefinition,
  grain: Grain,
  options: RealtimeReadOptions = {},
): string {
  assertValidView(view);
  assertGrain(view, grain);
  const form = options.form ?? 'final';
  const columns = rollupColumns(view, grain, RT, form);
  return [
    'SELECT',
    columns.map((c) => `  ${c}`).join(',\n'),
    `FROM ${realtimeTable(view)} AS ${RT}`,
    ...(options.cut ? [`WHERE ${RT}.ingested_bucket >= ${CUT_SQL}`] : []),
    `GROUP BY ${outputOrder(view)}`,
    ...(form === 'final' ? [`ORDER BY ${outputOrder(view)}`] : []),
  ].join('\n');
}

/**
 * Columns of a read of a stored aggregate table (`alias.event_bucket`, dimensions, state columns):
 * the bucket rolled up to `grain`, the dimensions, and the measures merged (finalized or as states).
 */
export function rollupColumns(
  view: ViewDefinition,
  grain: Grain,
  alias: string,
  form: 'final' | 'state',
): string[] {
  return [
    `${bucketSql(grain, `${alias}.event_bucket`)} AS bucket`,
    ...view.dimensions.map((d) => `${alias}.${d.name} AS ${d.name}`),
    ...view.measures.map((m) => {
      const sql = measureSql(m);
      const column = `${alias}.${m.name}`;
      return `${form === 'state' ? sql.mergeState(column) : sql.merge(column)} AS ${m.name}`;
    }),
  ];
}
