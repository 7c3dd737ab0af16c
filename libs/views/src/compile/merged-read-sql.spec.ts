import { ACTIVE_SUBJECTS } from '../defaults/default-views';
import { batchSql } from './batch-sql';
import { mergedReadSql } from './merged-read-sql';
import { realtimeReadSql } from './realtime-read-sql';

describe(mergedReadSql.name, () => {
  it('merges batch states before the cut with real-time states from it, then finalizes', () => {
    const sql = mergedReadSql(ACTIVE_SUBJECTS, 'day', { relation: 'events' });
    const indent = (s: string) => s.replace(/^/gm, '  ');
    expect(sql).toBe(
      [
        'SELECT',
        '  bucket,',
        '  source,',
        '  ifNull(uniqCombined64Merge(subjects), 0) AS subjects,',
        '  countMerge(events) AS events',
        'FROM',
        '(',
        indent(batchSql(ACTIVE_SUBJECTS, 'day', { relation: 'events', cut: true, form: 'state' })),
        '  UNION ALL',
        indent(realtimeReadSql(ACTIVE_SUBJECTS, 'day', { cut: true, form: 'state' })),
        ')',
        'GROUP BY bucket, source',
        'ORDER BY bucket, source',
      ].join('\n'),
    );
  });
});
