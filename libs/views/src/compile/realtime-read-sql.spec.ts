import { ACTIVE_SUBJECTS, EVENTS_BY_TYPE_SOURCE } from '../defaults/default-views';
import { realtimeReadSql } from './realtime-read-sql';

describe(realtimeReadSql.name, () => {
  it('rolls stored buckets up to the grain and finalizes the states', () => {
    expect(realtimeReadSql(EVENTS_BY_TYPE_SOURCE, 'day')).toBe(
      [
        'SELECT',
        "  toStartOfDay(r.event_bucket, 'UTC') AS bucket,",
        '  r.type AS type,',
        '  r.source AS source,',
        '  countMerge(r.events) AS events',
        'FROM rt_events_by_type_source AS r',
        'GROUP BY bucket, type, source',
        'ORDER BY bucket, type, source',
      ].join('\n'),
    );
  });

  it('keeps only ingestion buckets at or after the cut', () => {
    expect(realtimeReadSql(ACTIVE_SUBJECTS, 'hour', { cut: true })).toContain(
      "\nFROM rt_active_subjects AS r\nWHERE r.ingested_bucket >= {cut:DateTime64(3, 'UTC')}\n",
    );
  });

  it('merges into states in state form', () => {
    const sql = realtimeReadSql(ACTIVE_SUBJECTS, 'day', { form: 'state' });
    expect(sql).toContain('  uniqCombined64MergeState(r.subjects) AS subjects,');
    expect(sql).not.toContain('ORDER BY');
  });
});
