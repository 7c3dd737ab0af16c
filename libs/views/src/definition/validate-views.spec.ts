import { DEFAULT_VIEWS, REVENUE_BY_CURRENCY } from '../defaults/default-views';
import { assertValidView, validateViews } from './validate-views';
import type { ViewDefinition } from './view-definition';
import { ViewDefinitionError, type ViewProblem } from './view-definition-error';

/** The problems validateViews reports for `definitions` (none when it accepts them). */
function problemsOf(definitions: readonly unknown[]): ViewProblem[] {
  try {
    validateViews(definitions);
    return [];
  } catch (error) {
    if (error instanceof ViewDefinitionError) return [...error.problems];
    throw error;
  }
}

/** A valid definition to break one field at a time. */
function view(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'orders',
    eventTypes: ['order.placed'],
    dimensions: [
      { name: 'currency', property: 'currency', type: 'LowCardinality(String)' },
      { name: 'source', field: '_source' },
    ],
    measures: [
      { name: 'orders', fn: 'count' },
      { name: 'revenue', fn: 'sum', of: { property: 'amount', type: 'Float64' } },
    ],
    grains: ['hour', 'day'],
    retentionDays: 7,
    ...overrides,
  };
}

describe(validateViews.name, () => {
  it('accepts the default views and returns them unchanged', () => {
    expect(validateViews(DEFAULT_VIEWS)).toBe(DEFAULT_VIEWS);
  });

  it('refuses an unknown envelope field, naming the view and the field', () => {
    const problems = problemsOf([
      view({ dimensions: [{ name: 'ingested', field: '_ingested_at' }] }),
    ]);
    expect(problems).toEqual([
      {
        view: 'orders',
        path: 'dimensions.ingested.field',
        message:
          "unknown envelope field '_ingested_at'; expected one of type, _source, subject_id, or a property path with a type",
      },
    ]);
  });

  it('refuses sum, min and max of a non-numeric field', () => {
    const problems = problemsOf([
      view({
        measures: [
          { name: 'total', fn: 'sum', of: { property: 'currency', type: 'String' } },
          { name: 'first_type', fn: 'min', of: { field: 'type' } },
        ],
      }),
    ]);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "measures.total.of: sum needs a numeric property (Int64 or Float64), got property 'currency' of type String",
      "measures.first_type.of: min needs a numeric property (Int64 or Float64), got envelope field 'type'",
    ]);
  });

  it('refuses an unsupported grain', () => {
    expect(problemsOf([view({ grains: ['hour', 'week'] })])).toEqual([
      {
        view: 'orders',
        path: 'grains[1]',
        message: "unsupported grain 'week'; expected one of minute, hour, day",
      },
    ]);
  });

  it('refuses duplicate column names within a view and duplicate view names', () => {
    const problems = problemsOf([view({ measures: [{ name: 'currency', fn: 'count' }] }), view()]);
    expect(problems.map((p) => `${p.view} ${p.path}: ${p.message}`)).toEqual([
      "orders measures.currency.name: duplicate name 'currency': dimension and measure names must be unique within a view",
      'orders name: duplicate view name (also views[0])',
    ]);
  });

  it('refuses names that are not allow-listed identifiers, and reserved names', () => {
    const problems = problemsOf([
      view({
        name: 'Orders; DROP TABLE events_rt',
        dimensions: [{ name: 'bucket', field: 'type' }],
        measures: [{ name: 'Revenue', fn: 'count' }],
      }),
    ]);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "name: 'Orders; DROP TABLE events_rt' is not a valid view name: use [a-z][a-z0-9_]*, at most 40 characters",
      "dimensions.bucket.name: 'bucket' is reserved (bucket, event_bucket, ingested_bucket are columns of the compiled SQL)",
      "measures[0].name: 'Revenue' is not a valid name: use [a-z][a-z0-9_]*, at most 64 characters",
    ]);
  });

  it('refuses property paths and event types outside their allow-lists', () => {
    const problems = problemsOf([
      view({
        eventTypes: ["order.placed') OR 1=1 --"],
        dimensions: [{ name: 'currency', property: "currency', 'x", type: 'String' }],
      }),
    ]);
    expect(problems.map((p) => p.path)).toEqual(['eventTypes[0]', 'dimensions.currency.property']);
  });

  it('checks filters against the declared dimensions and their types', () => {
    const problems = problemsOf([
      view({
        filters: [
          { dimension: 'country', op: 'eq', value: 'DE' },
          { dimension: 'currency', op: 'in', values: ['EUR', 3] },
          { dimension: 'currency', op: 'like', value: 'E%' },
        ],
      }),
    ]);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "filters[0].dimension: 'country' is not a declared dimension of this view",
      'filters[1].values[1]: must be text of at most 256 characters without control characters, got 3',
      "filters[2].op: unsupported filter 'like'; expected eq or in",
    ]);
  });

  it('refuses a unique count without a method, an unknown key and a bad retention', () => {
    const problems = problemsOf([
      view({
        measures: [{ name: 'buyers', fn: 'unique', of: { field: 'subject_id' } }],
        dimension: [],
        retentionDays: 0,
      }),
    ]);
    expect(problems.map((p) => p.path)).toEqual([
      'dimension',
      'measures.buyers.method',
      'retentionDays',
    ]);
  });

  it('lists every problem of every view in one error message', () => {
    expect(() =>
      validateViews([view({ grains: [] }), view({ name: 'other', measures: [] })]),
    ).toThrow(
      [
        'Invalid view definitions (2 problems):',
        "- view 'orders' grains: must be a non-empty list of minute, hour, day, got []",
        "- view 'other' measures: must be a non-empty list, got []",
      ].join('\n'),
    );
  });
});

describe(assertValidView.name, () => {
  it('passes a valid view and throws ViewDefinitionError for an invalid one', () => {
    expect(() => assertValidView(REVENUE_BY_CURRENCY)).not.toThrow();
    const invalid = { ...REVENUE_BY_CURRENCY, grains: ['week'] } as unknown as ViewDefinition;
    expect(() => assertValidView(invalid)).toThrow(ViewDefinitionError);
  });
});
