import {
  Bool,
  type DataType,
  Float64,
  Int64,
  Table,
  tableToIPC,
  TimestampMillisecond,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import type { ViewDefinition, ViewRow } from '@tributary/views';

/**
 * An answer as an Apache Arrow IPC stream: `bucket` as a UTC millisecond timestamp, dimensions in
 * their declared types, counts and unique counts as Int64, sums/min/max in the type of the summed
 * property (nullable: a sum of nothing is NULL).
 */
export function toArrowStream(
  view: ViewDefinition,
  dimensions: readonly string[],
  measures: readonly string[],
  rows: readonly ViewRow[],
): Uint8Array {
  const columns: Record<string, Vector> = {};
  columns.bucket = vectorFromArray(
    rows.map((r) => Date.parse(`${String(r.bucket).replace(' ', 'T')}Z`)),
    new TimestampMillisecond('UTC'),
  );
  for (const name of dimensions) {
    const dimension = view.dimensions.find((d) => d.name === name);
    const type = dimension && 'type' in dimension ? dimension.type : 'String';
    columns[name] = vectorFromArray(
      rows.map((r) => convert(r[name], type)),
      arrowType(type),
    );
  }
  for (const name of measures) {
    const measure = view.measures.find((m) => m.name === name);
    const type =
      !measure || measure.fn === 'count' || measure.fn === 'unique' ? 'Int64' : measure.of.type;
    columns[name] = vectorFromArray(
      rows.map((r) => convert(r[name], type)),
      arrowType(type),
    );
  }
  return tableToIPC(new Table(columns), 'stream');
}

function arrowType(type: string): DataType {
  if (type === 'Int64') return new Int64();
  if (type === 'Float64') return new Float64();
  if (type === 'Bool') return new Bool();
  return new Utf8();
}

function convert(value: ViewRow[string], type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'Int64') return BigInt(value as string | number);
  if (type === 'Float64') return Number(value);
  return value;
}
