import type { Grain, ViewDefinition } from '../definition/view-definition';
import { assertValidView } from '../definition/validate-views';
import { batchSql } from './batch-sql';
import { measureSql } from './measure-sql';
import { realtimeReadSql } from './realtime-read-sql';
import { indent, outputOrder } from './select-from-events';

/**
 * The merged answer at a cut, in one query: batch states over `relation` for events ingested
 * before the cut, UNION ALL real-time states ingested at or after it, merged and finalized. Works
 * for every measure, unique counts included (states merge; finalized unique counts cannot be
 * added). Needs the `cut` query parameter (cutParams).
 */
export function mergedReadSql(
  view: ViewDefinition,
  grain: Grain,
  options: { readonly relation: string },
): string {
  assertValidView(view);
  const batch = batchSql(view, grain, { relation: options.relation, cut: true, form: 'state' });
  return mergeWithRealtime(view, grain, batch);
}

/**
 * `batch` (states per bucket and dimensions) UNION ALL the real-time states ingested at or after
 * the cut, merged and finalized: the shape of every exact answer at a cut.
 */
export function mergeWithRealtime(view: ViewDefinition, grain: Grain, batch: string): string {
  const realtime = realtimeReadSql(view, grain, { cut: true, form: 'state' });
  const columns = [
    'bucket',
    ...view.dimensions.map((d) => d.name),
    ...view.measures.map((m) => `${measureSql(m).merge(m.name)} AS ${m.name}`),
  ];
  return [
    'SELECT',
    columns.map((c) => `  ${c}`).join(',\n'),
    'FROM',
    '(',
    indent(batch),
    '  UNION ALL',
    indent(realtime),
    ')',
    `GROUP BY ${outputOrder(view)}`,
    `ORDER BY ${outputOrder(view)}`,
  ].join('\n');
}
