import { packBySize } from './compaction';

describe(packBySize.name, () => {
  const pack = (sizes: number[], target: number) =>
    packBySize(sizes, (size) => size, target).map((group) => group.join('+'));

  it('packs files into groups of at most the target, largest first', () => {
    expect(pack([10, 60, 30, 50, 40], 100)).toEqual(['60+40', '50+30+10']);
  });

  it('leaves a file bigger than the target alone', () => {
    expect(pack([150, 20, 30], 100)).toEqual(['150', '30+20']);
  });

  it('makes groups no two of which fit together, so packing its output again changes nothing', () => {
    const groups = packBySize([70, 20, 45, 35, 15, 60, 5, 50], (size) => size, 100);
    const totals = groups.map((group) => group.reduce((a, b) => a + b, 0));
    expect(totals.every((total) => total <= 100)).toBe(true);
    for (const [i, a] of totals.entries()) {
      for (const b of totals.slice(i + 1)) expect(a + b).toBeGreaterThan(100);
    }
    expect(packBySize(totals, (size) => size, 100).every((group) => group.length === 1)).toBe(true);
  });
});
