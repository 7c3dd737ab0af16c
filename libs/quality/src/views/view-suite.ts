import {
  assertValidView,
  DEFAULT_VIEWS,
  type Grain,
  type ViewDefinition,
  type ViewMeasure,
} from '@tributary/views';
import type { Expectation, Severity, Suite } from '../suite/suite';

/** The start of a grain's bucket, for checking that `bucket` is aligned to it. */
const BUCKET_START: Record<Grain, string> = {
  minute: 'toStartOfMinute',
  hour: 'toStartOfHour',
  day: 'toStartOfDay',
};

/**
 * count and unique are never NULL by construction (a NULL there is a compiler bug); sum, min and
 * max are NULL when no event of a group carried the property — worth a warning, not a block.
 */
function measureSeverity(measure: ViewMeasure): Severity {
  return measure.fn === 'count' || measure.fn === 'unique' ? 'error' : 'warn';
}

/**
 * Tests generated from a view definition for its batch output at one grain (what `batchSql`
 * returns: `bucket`, the dimensions, the measures): exactly those columns, the view key
 * (bucket + dimensions) unique, every measure not null, and every bucket aligned to the grain.
 * Run it against the table the batch layer is about to publish.
 */
export function viewSuite(view: ViewDefinition, grain: Grain): Suite {
  assertValidView(view);
  if (!view.grains.includes(grain)) {
    throw new Error(`view ${view.name} has no grain '${grain}' (it has ${view.grains.join(', ')})`);
  }
  const dimensions = view.dimensions.map((d) => d.name);
  const common = { mostly: 1 } as const;
  const expectations: Expectation[] = [
    {
      ...common,
      type: 'column_set',
      name: 'columns',
      severity: 'error',
      columns: ['bucket', ...dimensions, ...view.measures.map((m) => m.name)],
      exact: true,
      description: 'bucket, the dimensions and the measures of the definition, nothing else',
    },
    {
      ...common,
      type: 'unique',
      name: 'view key unique',
      severity: 'error',
      columns: ['bucket', ...dimensions],
      description: 'one row per bucket and dimension values',
    },
    ...view.measures.map((m): Expectation => ({
      ...common,
      type: 'not_null',
      name: `measure ${m.name} not null`,
      severity: measureSeverity(m),
      column: m.name,
    })),
    {
      ...common,
      type: 'custom_sql',
      name: `buckets aligned to ${grain}`,
      severity: 'error',
      sql: `SELECT * FROM {{table}} WHERE bucket != ${BUCKET_START[grain]}(bucket)`,
      description: `every bucket starts a ${grain}`,
    },
  ];
  return {
    name: `view.${view.name}.${grain}`,
    description: `Generated from the definition of view ${view.name} at grain ${grain}.`,
    expectations,
    source: '@tributary/views',
  };
}

/** One generated suite per view and grain. */
export function viewSuites(views: readonly ViewDefinition[] = DEFAULT_VIEWS): Suite[] {
  return views.flatMap((view) => view.grains.map((grain) => viewSuite(view, grain)));
}
