import { DEFAULT_VIEWS, type ViewDefinition } from '@tributary/views';
import { AnswerCache } from './answer-cache';
import type { QueryRequest } from './query-request';
import type { QueryAnswer } from './query.service';

const view = DEFAULT_VIEWS[0] as ViewDefinition;
const request = (limit: number): QueryRequest => ({
  view,
  grain: 'day',
  dimensions: ['type'],
  measures: ['events'],
  filters: [],
  order: 'asc',
  limit,
  offset: 0,
  format: 'json',
});
const answer = (rows: number): QueryAnswer => ({
  rows: Array.from({ length: rows }, (_, i) => ({
    bucket: '2026-11-26 00:00:00',
    type: `t${i}`,
    events: '1',
  })),
  meta: {
    view: view.name,
    grain: 'day',
    batch: null,
    realtime: null,
    as_of: 'r1',
    rows,
    next_cursor: null,
    elapsed_ms: 1,
  },
});

describe(AnswerCache.name, () => {
  it('names the same query of the same run alike and anything else differently', () => {
    expect(AnswerCache.etag(request(10), 'r1')).toBe(AnswerCache.etag(request(10), 'r1'));
    expect(AnswerCache.etag(request(10), 'r1')).not.toBe(AnswerCache.etag(request(10), 'r2'));
    expect(AnswerCache.etag(request(10), 'r1')).not.toBe(AnswerCache.etag(request(11), 'r1'));
  });

  it('stays within its size bound, least recently used out first', () => {
    const one = JSON.stringify(answer(10).rows).length;
    const cache = new AnswerCache(one * 2);
    cache.set('a', answer(10));
    cache.set('b', answer(10));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', answer(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
    expect([cache.hits, cache.misses]).toEqual([3, 1]);
  });

  it('keeps nothing when the bound is 0', () => {
    const cache = new AnswerCache(0);
    cache.set('a', answer(1));
    expect(cache.get('a')).toBeUndefined();
  });
});
