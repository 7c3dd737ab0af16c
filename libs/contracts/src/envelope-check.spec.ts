import { checkEnvelope } from './envelope-check';

const limits = { maxFutureSkewMs: 300_000, now: new Date('2026-11-26T12:00:00Z') };
const valid = {
  type: 'order.placed',
  occurred_at: '2026-11-26T11:59:00.123+01:00',
  subject_id: 'user-1',
  properties: { amount: 12.5 },
};

function errorsOf(item: unknown) {
  const result = checkEnvelope(item, limits);
  if (result.ok) throw new Error('expected the envelope to be refused');
  return result.errors.map((e) => [e.code, e.pointer, e.message]);
}

describe(checkEnvelope.name, () => {
  it('accepts a complete envelope and parses occurred_at', () => {
    const result = checkEnvelope(valid, limits);
    expect(result).toMatchObject({ ok: true, envelope: valid });
    if (result.ok) expect(result.occurredAt.toISOString()).toBe('2026-11-26T10:59:00.123Z');
  });

  it('refuses what is not an object', () => {
    expect(errorsOf([1, 2])).toEqual([
      ['not_an_object', '', 'an event must be a JSON object, got an array'],
    ]);
    expect(errorsOf('hello')).toEqual([
      ['not_an_object', '', 'an event must be a JSON object, got "hello"'],
    ]);
  });

  it('reports every problem at once, each with its pointer', () => {
    expect(errorsOf({ event_id: 'nope', type: 'Order Placed', properties: [] })).toEqual([
      [
        'invalid_field',
        '/event_id',
        "'event_id' must be a UUID such as 3f2b8c1e-6a4d-4f7e-9b1a-2c3d4e5f6a7b",
      ],
      [
        'invalid_field',
        '/type',
        "'type' must be a registered event type such as 'order.placed' (lowercase words separated by dots)",
      ],
      ['missing_field', '/occurred_at', "'occurred_at' is required"],
      ['invalid_field', '/properties', "'properties' must be a JSON object, got an array"],
    ]);
  });

  it('names unknown fields with a suggestion, and refuses server fields', () => {
    expect(errorsOf({ ...valid, ocurred_at: 'x', _source: 'me', color: 'red' })).toEqual([
      ['unknown_field', '/ocurred_at', "unknown field 'ocurred_at'; did you mean 'occurred_at'?"],
      [
        'reserved_field',
        '/_source',
        "'_source' is set by the server; leave fields starting with '_' out",
      ],
      ['unknown_field', '/color', "unknown field 'color'"],
    ]);
  });

  it.each([
    ['2026-11-26', 'no time'],
    ['2026-11-26T10:00:00', 'no time zone'],
    ['yesterday', 'words'],
    ['2026-13-45T10:00:00Z', 'impossible date'],
    ['1960-01-01T00:00:00Z', 'before 1970'],
  ])('refuses occurred_at %j (%s)', (occurredAt) => {
    expect(errorsOf({ ...valid, occurred_at: occurredAt })[0][0]).toBe('invalid_timestamp');
  });

  it('allows the configured clock skew into the future, and no more', () => {
    expect(checkEnvelope({ ...valid, occurred_at: '2026-11-26T12:05:00Z' }, limits).ok).toBe(true);
    expect(errorsOf({ ...valid, occurred_at: '2026-11-26T12:05:01Z' })).toEqual([
      [
        'occurred_at_in_future',
        '/occurred_at',
        'is 301 s in the future; at most 300 s of clock skew is allowed',
      ],
    ]);
  });

  it('checks schema_version and subject_id shapes', () => {
    expect(errorsOf({ ...valid, schema_version: 0, subject_id: '' }).map((e) => e[1])).toEqual([
      '/schema_version',
      '/subject_id',
    ]);
  });
});
