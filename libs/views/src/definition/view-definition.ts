/**
 * A view, declared once: which events it reads, what it groups by, what it measures and at which
 * time grains. The same definition compiles to the ClickHouse real-time DDL and to the batch SQL
 * (ARCHITECTURE G4), so the two never drift.
 */
export interface ViewDefinition {
  /** `[a-z][a-z0-9_]*`, at most 40 characters: the real-time objects are `rt_<name>`, `mv_<name>`. */
  readonly name: string;
  readonly description?: string;
  /** Event types read by the view; empty means every type. */
  readonly eventTypes: readonly string[];
  /** Conditions on declared dimensions, all of which must hold. */
  readonly filters?: readonly ViewFilter[];
  readonly dimensions: readonly ViewDimension[];
  readonly measures: readonly ViewMeasure[];
  /** Time grains the view is read at; the real-time table keeps the finest one. */
  readonly grains: readonly Grain[];
  /**
   * Days the real-time rows are kept, counted from their ingestion-time bucket: the real-time side
   * only ever serves what was ingested after the last batch cut, so this must exceed the batch
   * interval plus some slack.
   */
  readonly retentionDays: number;
}

export const GRAINS = ['minute', 'hour', 'day'] as const;
export type Grain = (typeof GRAINS)[number];

/** Envelope fields a view may read directly (ARCHITECTURE, "Event envelope"). */
export const ENVELOPE_FIELDS = ['type', '_source', 'subject_id'] as const;
export type EnvelopeField = (typeof ENVELOPE_FIELDS)[number];

/** Declared types of values read from `properties`. */
export const PROPERTY_TYPES = [
  'String',
  'LowCardinality(String)',
  'Int64',
  'Float64',
  'Bool',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** The property types sum, min and max accept. */
export const NUMERIC_PROPERTY_TYPES: readonly PropertyType[] = ['Int64', 'Float64'];

/**
 * Where a value comes from: an envelope field, or a path into `properties` (segments separated by
 * dots, e.g. `cart.total`) with a declared type. A property that is absent or of another JSON type
 * is "no value": NULL for measures, the type's default ('' / 0 / false) for dimensions.
 */
export type FieldRef = EnvelopeFieldRef | PropertyFieldRef;
export interface EnvelopeFieldRef {
  readonly field: EnvelopeField;
}
export interface PropertyFieldRef {
  readonly property: string;
  readonly type: PropertyType;
}

/** A grouping column of the view, named `[a-z][a-z0-9_]*`. */
export type ViewDimension = { readonly name: string } & FieldRef;

export type FilterValue = string | number | boolean;
export type ViewFilter =
  | { readonly dimension: string; readonly op: 'eq'; readonly value: FilterValue }
  | { readonly dimension: string; readonly op: 'in'; readonly values: readonly FilterValue[] };

export const MEASURE_FUNCTIONS = ['count', 'sum', 'min', 'max', 'unique'] as const;
export type MeasureFunction = (typeof MEASURE_FUNCTIONS)[number];

/** `exact` counts every distinct value (uniqExact); `sketch` is a mergeable estimate (uniqCombined64). */
export const UNIQUE_METHODS = ['exact', 'sketch'] as const;
export type UniqueMethod = (typeof UNIQUE_METHODS)[number];

export type ViewMeasure =
  | { readonly name: string; readonly fn: 'count' }
  | { readonly name: string; readonly fn: 'sum' | 'min' | 'max'; readonly of: PropertyFieldRef }
  | {
      readonly name: string;
      readonly fn: 'unique';
      readonly of: FieldRef;
      readonly method: UniqueMethod;
    };

/** Declares a view with its types checked; the values are validated at start-up by `validateViews`. */
export function defineView<const T extends ViewDefinition>(definition: T): T {
  return definition;
}
