import type { StoredEvent } from '@tributary/contracts';
import { formatDateTime } from '../compile/clickhouse-time';
import type { QueryFilter, QueryValue } from '../compile/serving-query-sql';
import type { FilterValue, Grain, ViewDefinition, ViewFilter } from '../definition/view-definition';
import { dimensionValue, type FieldValue, toJsonValue } from './field-value';
import { measureAccumulator, type MeasureAccumulator } from './measure-accumulator';

/** One row of a view as the compiled queries return it (JSONEachRow, 64-bit integers quoted). */
export type ViewRow = Record<string, string | number | boolean | null>;

/** Which events count, by ingestion time: `from` inclusive, `before` exclusive. */
export interface IngestionWindow {
  readonly from?: Date;
  readonly before?: Date;
}

const GRAIN_MS: Record<Exclude<Grain, 'day'>, number> = { minute: 60_000, hour: 3_600_000 };

/**
 * A view computed in plain TypeScript from events, independently of ClickHouse: what the
 * equality tests hold both compiled forms to. Rows come sorted by bucket and dimensions.
 */
export function referenceRows(
  view: ViewDefinition,
  grain: Grain,
  events: readonly StoredEvent[],
  window: IngestionWindow = {},
  shape: ReferenceShape = {},
): ViewRow[] {
  const dimensions = shape.dimensions ?? view.dimensions.map((d) => d.name);
  const measures = view.measures.filter((m) => !shape.measures || shape.measures.includes(m.name));
  const groups = new Map<string, { keys: ViewRow; measures: MeasureAccumulator[] }>();
  for (const event of events) {
    const ingested = Date.parse(event._ingested_at);
    if (window.from !== undefined && ingested < window.from.getTime()) continue;
    if (window.before !== undefined && ingested >= window.before.getTime()) continue;
    if (view.eventTypes.length > 0 && !view.eventTypes.includes(event.type)) continue;
    const dims = new Map(view.dimensions.map((d) => [d.name, dimensionValue(d, event)]));
    if (!(view.filters ?? []).every((f) => passes(f, dims.get(f.dimension)))) continue;
    if (!(shape.filters ?? []).every((f) => passesQuery(f, dims.get(f.dimension)))) continue;
    const keys: ViewRow = { bucket: bucketOf(Date.parse(event.occurred_at), grain) };
    for (const name of dimensions) keys[name] = toJsonValue(dims.get(name) ?? null);
    const id = JSON.stringify(Object.values(keys));
    let group = groups.get(id);
    if (group === undefined) {
      group = { keys, measures: measures.map(measureAccumulator) };
      groups.set(id, group);
    }
    for (const measure of group.measures) measure.add(event);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => {
      const row: ViewRow = { ...group.keys };
      measures.forEach((m, i) => (row[m.name] = group.measures[i]?.result() ?? null));
      return row;
    });
}

/** A query's shape for the reference: chosen dimensions and measures, and filters. */
export interface ReferenceShape {
  readonly dimensions?: readonly string[];
  readonly measures?: readonly string[];
  readonly filters?: readonly QueryFilter[];
}

function passesQuery(filter: QueryFilter, value: FieldValue | undefined): boolean {
  if (value === undefined) return false;
  const same = (candidate: QueryValue) =>
    typeof value === 'bigint' ? value === BigInt(candidate as number) : value === candidate;
  const compare = (candidate: QueryValue) => {
    const left = typeof value === 'bigint' ? Number(value) : value;
    return left < candidate ? -1 : left > candidate ? 1 : 0;
  };
  const [first] = filter.values;
  switch (filter.op) {
    case 'eq':
      return same(first as QueryValue);
    case 'ne':
      return !same(first as QueryValue);
    case 'in':
      return filter.values.some(same);
    case 'nin':
      return !filter.values.some(same);
    case 'gt':
      return compare(first as QueryValue) > 0;
    case 'gte':
      return compare(first as QueryValue) >= 0;
    case 'lt':
      return compare(first as QueryValue) < 0;
    case 'lte':
      return compare(first as QueryValue) <= 0;
  }
}

function bucketOf(at: number, grain: Grain): string {
  const size = grain === 'day' ? 86_400_000 : GRAIN_MS[grain];
  return formatDateTime(Math.floor(at / size) * size);
}

function passes(filter: ViewFilter, value: FieldValue | undefined): boolean {
  const accepted: readonly FilterValue[] = filter.op === 'eq' ? [filter.value] : filter.values;
  return accepted.some((candidate) =>
    typeof value === 'bigint' ? value === BigInt(candidate as number) : value === candidate,
  );
}
