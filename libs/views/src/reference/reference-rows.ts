import type { StoredEvent } from '@tributary/contracts';
import { formatDateTime } from '../compile/clickhouse-time';
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
): ViewRow[] {
  const groups = new Map<string, { keys: ViewRow; measures: MeasureAccumulator[] }>();
  for (const event of events) {
    const ingested = Date.parse(event._ingested_at);
    if (window.from !== undefined && ingested < window.from.getTime()) continue;
    if (window.before !== undefined && ingested >= window.before.getTime()) continue;
    if (view.eventTypes.length > 0 && !view.eventTypes.includes(event.type)) continue;
    const dims = new Map(view.dimensions.map((d) => [d.name, dimensionValue(d, event)]));
    if (!(view.filters ?? []).every((f) => passes(f, dims.get(f.dimension)))) continue;
    const keys: ViewRow = { bucket: bucketOf(Date.parse(event.occurred_at), grain) };
    for (const [name, value] of dims) keys[name] = toJsonValue(value);
    const id = JSON.stringify(Object.values(keys));
    let group = groups.get(id);
    if (group === undefined) {
      group = { keys, measures: view.measures.map(measureAccumulator) };
      groups.set(id, group);
    }
    for (const measure of group.measures) measure.add(event);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => {
      const row: ViewRow = { ...group.keys };
      view.measures.forEach((m, i) => (row[m.name] = group.measures[i]?.result() ?? null));
      return row;
    });
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
