import {
  FILTER_OPS,
  type FilterOp,
  type Grain,
  GRAINS,
  type QueryFilter,
  type QueryValue,
  type ViewDefinition,
} from '@tributary/views';

/** A query as the API takes it (query string or JSON body), before it is compiled. */
export interface QueryRequest {
  view: ViewDefinition;
  grain: Grain;
  dimensions: string[];
  measures: string[];
  filters: QueryFilter[];
  from?: Date;
  to?: Date;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  format: 'json' | 'csv' | 'arrow';
  /** IANA time zone of day buckets (UTC by default). */
  timeZone?: string;
  /** Time travel: a batch run id, or a time (the run published at or before it). */
  asOf?: { runId: string } | { at: Date };
}

/** A request the API refuses, with the HTTP status and the reason shown to the caller. */
export class BadQuery extends Error {
  constructor(
    readonly status: 400 | 404 | 406 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'BadQuery';
  }
}

const DEFAULT_LIMIT = 1_000;

/** Reads a query from a JSON body or a query string (lists comma-separated, `filter` repeated). */
export function parseQueryRequest(
  input: Record<string, unknown>,
  views: readonly ViewDefinition[],
  options: { maxRows: number; accept?: string },
): QueryRequest {
  const name = text(input.view, 'view');
  const view = views.find((v) => v.name === name);
  if (!view)
    throw new BadQuery(404, `no view '${name}' (views: ${views.map((v) => v.name).join(', ')})`);
  const grain = (
    input.grain === undefined ? view.grains[view.grains.length - 1] : input.grain
  ) as Grain;
  if (!GRAINS.includes(grain) || !view.grains.includes(grain))
    throw new BadQuery(400, `grain must be one of ${view.grains.join(', ')} for ${view.name}`);
  const dimensions = list(input.dimensions, 'dimensions') ?? view.dimensions.map((d) => d.name);
  const measures = list(input.measures, 'measures') ?? view.measures.map((m) => m.name);
  const filters = parseFilters(input.filter ?? input.filters, view);
  const from = time(input.from, 'from');
  const to = time(input.to, 'to');
  if (from && to && from >= to) throw new BadQuery(400, 'from must be before to');
  const order = input.order === undefined ? 'asc' : input.order;
  if (order !== 'asc' && order !== 'desc') throw new BadQuery(400, "order must be 'asc' or 'desc'");
  const limit = input.limit === undefined ? DEFAULT_LIMIT : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new BadQuery(400, 'limit must be a positive integer');
  if (limit > options.maxRows)
    throw new BadQuery(
      422,
      `limit ${limit} is above the ${options.maxRows} rows a query may return (TRIBUTARY_SERVING_MAX_ROWS); page with cursor`,
    );
  const offset = input.cursor === undefined ? 0 : decodeCursor(text(input.cursor, 'cursor'));
  const format = parseFormat(input.format, options.accept);
  let asOf: QueryRequest['asOf'];
  if (input.as_of !== undefined) {
    const raw = text(input.as_of, 'as_of');
    const at = /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw) : undefined;
    asOf = at && !Number.isNaN(at.getTime()) ? { at } : { runId: raw };
  }
  const timeZone = input.tz === undefined ? undefined : text(input.tz, 'tz');
  return {
    timeZone,
    view,
    grain,
    dimensions,
    measures,
    filters,
    from,
    to,
    order,
    limit,
    offset,
    format,
    asOf,
  };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new BadQuery(400, 'cursor is not one this API returned');
}

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

function parseFormat(format: unknown, accept: string | undefined): 'json' | 'csv' | 'arrow' {
  if (format !== undefined) {
    if (format === 'json' || format === 'csv' || format === 'arrow') return format;
    throw new BadQuery(406, 'format must be json, csv or arrow');
  }
  if (accept?.includes('text/csv')) return 'csv';
  if (accept?.includes(ARROW_STREAM)) return 'arrow';
  return 'json';
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '')
    throw new BadQuery(400, `${name} must be a non-empty string`);
  return value;
}

function list(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (typeof value === 'string') return value === '' ? [] : value.split(',');
  throw new BadQuery(400, `${name} must be a list of names`);
}

function time(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'string' ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime()) || !/(Z|[+-]\d{2}:?\d{2})$/.test(value as string))
    throw new BadQuery(
      400,
      `${name} must be an ISO-8601 time with a zone, e.g. 2026-11-26T00:00:00Z`,
    );
  return at;
}

/**
 * Filters: JSON `[{ dimension, op, values }]`, or query-string `filter=dim:op:value[,value]`
 * (repeatable). Values are typed by the dimension: numbers and booleans are parsed for numeric
 * and Bool dimensions, strings stay strings.
 */
function parseFilters(value: unknown, view: ViewDefinition): QueryFilter[] {
  if (value === undefined) return [];
  const raw = Array.isArray(value) ? value : [value];
  return raw.map((item): QueryFilter => {
    if (typeof item === 'string') {
      const match = /^([^:]+):([a-z]+):(.*)$/s.exec(item);
      if (!match)
        throw new BadQuery(400, `filter '${item}' must look like dimension:op:value[,value]`);
      const [, dimension, op, values] = match as unknown as [string, string, string, string];
      return typed(view, dimension, op, op === 'in' || op === 'nin' ? values.split(',') : [values]);
    }
    if (typeof item === 'object' && item !== null) {
      const f = item as { dimension?: unknown; op?: unknown; values?: unknown; value?: unknown };
      const values = Array.isArray(f.values) ? f.values : f.value === undefined ? [] : [f.value];
      return typed(view, String(f.dimension), String(f.op), values as unknown[]);
    }
    throw new BadQuery(
      400,
      'filters must be objects { dimension, op, values } or dim:op:value strings',
    );
  });
}

function typed(
  view: ViewDefinition,
  dimension: string,
  op: string,
  values: unknown[],
): QueryFilter {
  if (!FILTER_OPS.includes(op as FilterOp))
    throw new BadQuery(400, `unknown filter operator '${op}' (use ${FILTER_OPS.join(', ')})`);
  const declared = view.dimensions.find((d) => d.name === dimension);
  if (!declared)
    throw new BadQuery(400, `cannot filter on '${dimension}': not a dimension of ${view.name}`);
  const type = 'type' in declared ? declared.type : 'String';
  const convert = (v: unknown): QueryValue => {
    if (typeof v !== 'string') return v as QueryValue;
    if (type === 'Int64' || type === 'Float64') return v.trim() === '' ? Number.NaN : Number(v);
    if (type === 'Bool')
      return v === 'true' ? true : v === 'false' ? false : (v as unknown as boolean);
    return v;
  };
  return { dimension, op: op as FilterOp, values: values.map(convert) };
}
