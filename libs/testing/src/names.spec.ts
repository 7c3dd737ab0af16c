import { uniqueName } from './names';

describe(uniqueName.name, () => {
  it('keeps a readable prefix and never repeats', () => {
    const names = new Set(Array.from({ length: 200 }, () => uniqueName('Orders Topic')));
    expect(names.size).toBe(200);
    for (const name of names) expect(name).toMatch(/^orders-topic-[a-z0-9]+-[0-9a-f]{6}$/);
  });

  it('uses the separator given, for stores that refuse dashes', () => {
    expect(uniqueName('t_warehouse', '_')).toMatch(/^t_warehouse_[a-z0-9]+_[0-9a-f]{6}$/);
  });
});
