import { newCorrelationId, sanitizeCorrelationId } from './correlation-id';

describe(sanitizeCorrelationId.name, () => {
  it.each([
    ['a single character', 'a'],
    ['a UUID', '3f1c7a52-8d5e-4b8e-9a0f-1c2d3e4f5a6b'],
    ['every allowed character class', 'Abc.def_ghi:jkl-0123'],
    ['exactly 128 characters', 'x'.repeat(128)],
  ])('accepts %s', (_label, id) => {
    expect(sanitizeCorrelationId(id)).toBe(id);
  });

  it.each([
    ['129 characters', 'x'.repeat(129)],
    ['the empty string', ''],
    ['a space', 'abc def'],
    ['a leading space', ' abc'],
    ['a trailing newline', 'abc\n'],
    ['a newline (log injection)', 'abc\nlevel=error'],
    ['a carriage return', 'abc\r'],
    ['a tab', 'a\tb'],
    ['unicode letters', 'café'],
    ['an emoji', 'id-🙂'],
    ['a slash', 'a/b'],
    ['quotes and markup', '"<script>'],
    ['a comma (repeated headers are joined with ", ")', 'a,b'],
  ])('rejects %s', (_label, id) => {
    expect(sanitizeCorrelationId(id)).toBeUndefined();
  });

  it.each([
    ['undefined', undefined],
    ['a number', 42],
    ['an array of header values', ['abc']],
    ['a Buffer', Buffer.from('abc')],
  ])('rejects %s: only strings are ids', (_label, raw) => {
    expect(sanitizeCorrelationId(raw)).toBeUndefined();
  });
});

describe(newCorrelationId.name, () => {
  it('returns a fresh UUID v4 that passes the sanitizer', () => {
    const id = newCorrelationId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sanitizeCorrelationId(id)).toBe(id);
    expect(newCorrelationId()).not.toBe(id);
  });
});
