import { sqlString } from './identifiers';

describe(sqlString.name, () => {
  it('quotes text as a ClickHouse string literal, escaping quotes and backslashes', () => {
    expect(sqlString('order.placed')).toBe("'order.placed'");
    expect(sqlString("it's \\ fine")).toBe("'it\\'s \\\\ fine'");
  });

  it('refuses control characters', () => {
    expect(() => sqlString('a\nb')).toThrow('control characters are not allowed in SQL literals');
  });
});
