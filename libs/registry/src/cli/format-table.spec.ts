import { formatTable, formatTime } from './format-table';

describe(formatTable.name, () => {
  it('aligns columns under an upper-case header without trailing spaces', () => {
    expect(
      formatTable(
        ['name', 'id'],
        [
          ['web', '1'],
          ['billing', '22'],
        ],
      ),
    ).toBe('NAME     ID\nweb      1\nbilling  22');
  });
});

describe(formatTime.name, () => {
  it('writes ISO-8601 in UTC, and a dash for never', () => {
    expect(formatTime(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('2025-01-02T03:04:05.000Z');
    expect(formatTime(null)).toBe('-');
  });
});
