import { MAX_JSON_DEPTH, nestingDepth, parseItems } from './body-parser';
import { IngestError } from './ingest-error';

const parse = (body: string, type = 'application/json', max = 10) =>
  parseItems(Buffer.from(body), type, max);

function refusal(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof IngestError) return [error.code, error.message];
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(parseItems.name, () => {
  it('takes one JSON event or an array of them', () => {
    expect(parse('{"a":1}')).toEqual([{ text: '{"a":1}', value: { a: 1 } }]);
    expect(parse('[{"a":1},{"b":2}]').map((i) => 'value' in i && i.value)).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
  });

  it('splits NDJSON by line, refusing only the bad line', () => {
    const items = parse('{"a":1}\r\n\nnot json\n{"b":2}\n', 'application/x-ndjson; charset=utf-8');
    expect(items).toHaveLength(3);
    expect(items[1]).toEqual({ text: 'not json', parseError: expect.any(String) });
  });

  it.each([
    [() => parse('{"a":', 'application/json'), 'invalid_body'],
    [() => parse('[]'), 'no_events'],
    [() => parse('{"a":1}', 'text/plain'), 'unsupported_media_type'],
    [() => parse('{"a":1}', ''), 'unsupported_media_type'],
    [() => parse(JSON.stringify(Array.from({ length: 11 }, () => ({})))), 'too_many_events'],
    [() => parseItems(Buffer.from([0x7b, 0xff, 0x7d]), 'application/json', 10), 'invalid_body'],
  ])('refuses a body it cannot take (%#) with %s', (run, code) => {
    expect(refusal(run)[0]).toBe(code);
  });

  it('says what content types it takes', () => {
    expect(refusal(() => parse('x', 'text/csv'))[1]).toBe(
      "Content-Type 'text/csv' is not supported; send application/json (one event or an array) or application/x-ndjson (one event per line)",
    );
  });
});

describe(nestingDepth.name, () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestingDepth('{"a":[{"b":"[[[{{"}]}')).toBe(3);
    expect(nestingDepth('"\\"[[["')).toBe(0);
  });

  it('refuses a body nested deeper than the limit before parsing it', () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 2)}${']'.repeat(MAX_JSON_DEPTH + 2)}`;
    expect(refusal(() => parse(deep))).toEqual([
      'invalid_body',
      `the body nests JSON deeper than ${MAX_JSON_DEPTH} levels`,
    ]);
    expect(parse(deep, 'application/x-ndjson')[0]).toEqual({
      text: deep,
      parseError: `nested deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });
});
