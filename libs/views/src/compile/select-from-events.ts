import type { Grain, ViewDefinition, ViewFilter } from '../definition/view-definition';
import { sqlString } from '../definition/identifiers';
import { EVENTS, fieldSql } from './field-sql';
import { bucketSql } from './grain-sql';
import { INGESTION_BUCKET } from './cut';
import { measureSql } from './measure-sql';

export interface EventsSelect {
  /** Table read, aliased `e`; its columns are those of events_rt. */
  readonly relation: string;
  /** Event-time bucket: its output column and grain. */
  readonly bucket: { readonly column: string; readonly grain: Grain };
  /** Adds the ingestion-time bucket (the real-time table's key). */
  readonly ingestedBucket: boolean;
  /** Aggregate states (for the real-time table and merges) or finalized values. */
  readonly form: 'state' | 'final';
  /** More conditions, ANDed with the view's own. */
  readonly where?: readonly string[];
  readonly orderBy?: boolean;
}

/**
 * The one aggregation of a view over raw events, shared by the materialized view, its backfill and
 * the batch SQL: same bucket, same dimension expressions, same filters, same measures.
 */
export function selectFromEvents(view: ViewDefinition, select: EventsSelect): string {
  const keys = [
    `${bucketSql(select.bucket.grain, `${EVENTS}.occurred_at`)} AS ${select.bucket.column}`,
    ...(select.ingestedBucket
      ? [`${bucketSql(INGESTION_BUCKET, `${EVENTS}._ingested_at`)} AS ingested_bucket`]
      : []),
    ...view.dimensions.map((d) => `${fieldSql(d).dimension} AS ${d.name}`),
  ];
  const measures = view.measures.map((m) => {
    const sql = measureSql(m);
    return `${select.form === 'state' ? sql.state : sql.final} AS ${m.name}`;
  });
  const where = [...viewConditions(view), ...(select.where ?? [])];
  const groupBy = [
    select.bucket.column,
    ...(select.ingestedBucket ? ['ingested_bucket'] : []),
    ...view.dimensions.map((d) => d.name),
  ];
  return [
    'SELECT',
    [...keys, ...measures].map((line) => `  ${line}`).join(',\n'),
    `FROM ${select.relation} AS ${EVENTS}`,
    ...where.map((condition, i) => `${i === 0 ? 'WHERE' : '  AND'} ${condition}`),
    `GROUP BY ${groupBy.join(', ')}`,
    ...(select.orderBy ? [`ORDER BY ${outputOrder(view, select.bucket.column)}`] : []),
  ].join('\n');
}

/** `bucket, dim1, dim2`: the order compiled reads return rows in. */
export function outputOrder(view: ViewDefinition, bucket = 'bucket'): string {
  return [bucket, ...view.dimensions.map((d) => d.name)].join(', ');
}

function viewConditions(view: ViewDefinition): string[] {
  const conditions: string[] = [];
  if (view.eventTypes.length > 0) {
    conditions.push(`${EVENTS}.type IN (${view.eventTypes.map(sqlString).join(', ')})`);
  }
  for (const filter of view.filters ?? []) conditions.push(filterSql(view, filter));
  return conditions;
}

function filterSql(view: ViewDefinition, filter: ViewFilter): string {
  const dimension = view.dimensions.find((d) => d.name === filter.dimension);
  if (dimension === undefined)
    throw new Error(`filter on undeclared dimension '${filter.dimension}'`);
  const expression = fieldSql(dimension).dimension;
  return filter.op === 'eq'
    ? `${expression} = ${literal(filter.value)}`
    : `${expression} IN (${filter.values.map(literal).join(', ')})`;
}

function literal(value: string | number | boolean): string {
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

/** Indents every line of a compiled statement by two spaces (for nested SELECTs). */
export function indent(sql: string): string {
  return sql
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
