import { ACTIVE_SUBJECTS, REVENUE_BY_CURRENCY, SIGNUPS_BY_PLAN } from '../defaults/default-views';
import { batchSql } from './batch-sql';

describe(batchSql.name, () => {
  it('aggregates the relation per event-time bucket and dimensions, finalized and ordered', () => {
    expect(batchSql(SIGNUPS_BY_PLAN, 'day', { relation: 'events' })).toBe(
      [
        'SELECT',
        "  toStartOfDay(e.occurred_at, 'UTC') AS bucket,",
        "  if(JSONType(e.properties, 'plan') = 'String', JSONExtractString(e.properties, 'plan'), '') AS plan,",
        "  if(JSONType(e.properties, 'trial') = 'Bool', toBool(JSONExtractBool(e.properties, 'trial')), false) AS trial,",
        '  count() AS signups,',
        "  sum(if(JSONType(e.properties, 'seats') = 'Int64', JSONExtractInt(e.properties, 'seats'), NULL)) AS seats,",
        "  max(if(JSONType(e.properties, 'seats') = 'Int64', JSONExtractInt(e.properties, 'seats'), NULL)) AS largest_team",
        'FROM events AS e',
        "WHERE e.type IN ('signup.completed')",
        'GROUP BY bucket, plan, trial',
        'ORDER BY bucket, plan, trial',
      ].join('\n'),
    );
  });

  it('cuts by ingestion time with a query parameter', () => {
    const sql = batchSql(REVENUE_BY_CURRENCY, 'hour', { relation: 'lake.events', cut: true });
    expect(sql).toContain(
      "\nFROM lake.events AS e\nWHERE e.type IN ('order.placed')\n  AND e._ingested_at < {cut:DateTime64(3, 'UTC')}\n",
    );
  });

  it('gives unique counts of nothing as 0 and, in state form, states without an order', () => {
    const final = batchSql(ACTIVE_SUBJECTS, 'hour', { relation: 'events' });
    expect(final).toContain(
      "  ifNull(uniqCombined64(CAST(e.subject_id, 'Nullable(String)')), 0) AS subjects,",
    );
    const state = batchSql(ACTIVE_SUBJECTS, 'hour', { relation: 'events', form: 'state' });
    expect(state).toContain(
      "  uniqCombined64State(CAST(e.subject_id, 'Nullable(String)')) AS subjects,",
    );
    expect(state).not.toContain('ORDER BY');
  });

  it('refuses a relation outside the allow-list and a grain the view does not declare', () => {
    expect(() =>
      batchSql(REVENUE_BY_CURRENCY, 'hour', { relation: 'events; DROP TABLE x' }),
    ).toThrow("relation 'events; DROP TABLE x' must be table or database.table");
    expect(() => batchSql(REVENUE_BY_CURRENCY, 'minute', { relation: 'events' })).toThrow(
      "view 'revenue_by_currency' is not declared at grain 'minute' (it has hour, day)",
    );
  });
});
