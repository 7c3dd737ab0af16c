import { BoundedCache } from './bounded-cache';

describe(BoundedCache.name, () => {
  let clock: number;
  const cache = (ttlMs: number, maxEntries = 10) =>
    new BoundedCache<string>({ ttlMs, maxEntries, now: () => clock });

  beforeEach(() => {
    clock = 1_000;
  });

  describe('get', () => {
    it('returns a value until its time to live has passed', () => {
      const c = cache(30_000);
      c.set('a', 'A');
      clock += 29_999;
      expect(c.get('a')).toBe('A');
      clock += 1;
      expect(c.get('a')).toBeUndefined();
      expect(c.size).toBe(0);
    });
  });

  describe('set', () => {
    it('drops the oldest entry beyond the size limit', () => {
      const c = cache(Infinity, 2);
      c.set('a', 'A');
      c.set('b', 'B');
      c.set('a', 'A2'); // now the youngest
      c.set('c', 'C');
      expect([c.get('a'), c.get('b'), c.get('c')]).toEqual(['A2', undefined, 'C']);
    });
  });

  describe('deleteIf', () => {
    it('leaves an entry that was replaced meanwhile', () => {
      const c = cache(Infinity);
      c.set('a', 'old');
      c.set('a', 'new');
      c.deleteIf('a', 'old');
      expect(c.get('a')).toBe('new');
      c.deleteIf('a', 'new');
      expect(c.get('a')).toBeUndefined();
    });
  });

  describe('deleteWhere', () => {
    it('removes every entry that matches', () => {
      const c = cache(Infinity);
      ['x1', 'y1', 'x2'].forEach((v) => c.set(v, v));
      c.deleteWhere((v) => v.startsWith('x'));
      expect([c.get('x1'), c.get('y1'), c.get('x2')]).toEqual([undefined, 'y1', undefined]);
    });
  });
});
