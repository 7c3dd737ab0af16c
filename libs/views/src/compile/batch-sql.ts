import { RELATION } from '../definition/identifiers';
import type { Grain, ViewDefinition } from '../definition/view-definition';
import { assertValidView } from '../definition/validate-views';
import { CUT_SQL } from './cut';
import { EVENTS } from './field-sql';
import { assertGrain } from './grain-sql';
import { selectFromEvents } from './select-from-events';

export interface BatchSqlOptions {
  /** The table of events to aggregate (`table` or `db.table`), with events_rt's column names. */
  readonly relation: string;
  /** Only events ingested before the cut: `_ingested_at < {cut:DateTime64(3, 'UTC')}` (see cutParams). */
  readonly cut?: boolean;
  /** `final` (default): finalized measures; `state`: aggregate states, to merge with the real-time side. */
  readonly form?: 'final' | 'state';
}

/**
 * The batch recompute of one view at one grain: per (event-time bucket, dimensions) over the
 * events of `relation` — the same expressions the materialized view uses, so batch and real-time
 * cannot drift. Columns: `bucket`, the dimensions, the measures; rows ordered by bucket and
 * dimensions (final form).
 */
export function batchSql(view: ViewDefinition, grain: Grain, options: BatchSqlOptions): string {
  assertValidView(view);
  assertGrain(view, grain);
  assertRelation(options.relation);
  const form = options.form ?? 'final';
  return selectFromEvents(view, {
    relation: options.relation,
    bucket: { column: 'bucket', grain },
    ingestedBucket: false,
    form,
    where: options.cut ? [`${EVENTS}._ingested_at < ${CUT_SQL}`] : [],
    orderBy: form === 'final',
  });
}

export function assertRelation(relation: string): void {
  if (!RELATION.test(relation)) {
    throw new Error(
      `relation '${relation}' must be table or database.table ([A-Za-z_][A-Za-z0-9_]*)`,
    );
  }
}
