import { propertySegments, sqlString } from '../definition/identifiers';
import { isEnvelope } from '../definition/validate-field-ref';
import type { FieldRef, PropertyType } from '../definition/view-definition';

/** The SQL for one field of the events relation (aliased `e`). */
export interface FieldSql {
  /** Never NULL: a missing or mistyped property reads as its type's default ('' / 0 / false). */
  readonly dimension: string;
  /** Column type of the dimension in the real-time table. */
  readonly dimensionType: string;
  /** NULL when absent or of another JSON type, so aggregates skip it. */
  readonly value: string;
  readonly valueType: string;
}

/** Alias of the events relation in every compiled query: column references are qualified with it. */
export const EVENTS = 'e';

/**
 * A property counts only when its JSON type matches the declared one (an Int64 is a JSON integer,
 * a Float64 any JSON number, a Bool a JSON boolean, a String a JSON string). ClickHouse's own
 * JSONExtract* functions convert leniently (`"12"` → 12, `true` → 1), which no reference outside
 * ClickHouse would reproduce, so the JSON type is checked first.
 */
const PROPERTY_SQL: Record<
  PropertyType,
  { jsonTypes: string; extract: string; default: string; nullable: string }
> = {
  String: {
    jsonTypes: "= 'String'",
    extract: 'JSONExtractString',
    default: "''",
    nullable: 'Nullable(String)',
  },
  'LowCardinality(String)': {
    jsonTypes: "= 'String'",
    extract: 'JSONExtractString',
    default: "''",
    nullable: 'Nullable(String)',
  },
  Int64: {
    jsonTypes: "= 'Int64'",
    extract: 'JSONExtractInt',
    default: 'toInt64(0)',
    nullable: 'Nullable(Int64)',
  },
  Float64: {
    jsonTypes: "IN ('Int64', 'UInt64', 'Double')",
    extract: 'JSONExtractFloat',
    default: 'toFloat64(0)',
    nullable: 'Nullable(Float64)',
  },
  Bool: {
    jsonTypes: "= 'Bool'",
    extract: 'JSONExtractBool',
    default: 'false',
    nullable: 'Nullable(Bool)',
  },
};

export function fieldSql(ref: FieldRef): FieldSql {
  if (isEnvelope(ref)) {
    switch (ref.field) {
      case 'type':
      case '_source': {
        const text = `toString(${EVENTS}.${ref.field})`;
        return {
          dimension: text,
          dimensionType: 'LowCardinality(String)',
          value: text,
          valueType: 'String',
        };
      }
      case 'subject_id':
        return {
          dimension: `ifNull(${EVENTS}.subject_id, '')`,
          dimensionType: 'String',
          value: `CAST(${EVENTS}.subject_id, 'Nullable(String)')`,
          valueType: 'Nullable(String)',
        };
    }
  }
  const sql = PROPERTY_SQL[ref.type];
  const args = [`${EVENTS}.properties`, ...propertySegments(ref.property).map(sqlString)].join(
    ', ',
  );
  const guard = `JSONType(${args}) ${sql.jsonTypes}`;
  const extracted =
    ref.type === 'Bool' ? `toBool(${sql.extract}(${args}))` : `${sql.extract}(${args})`;
  return {
    dimension: `if(${guard}, ${extracted}, ${sql.default})`,
    dimensionType: ref.type,
    value: `if(${guard}, ${extracted}, NULL)`,
    valueType: sql.nullable,
  };
}
