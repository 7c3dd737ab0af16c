import { SCHEMA_DIALECT, SchemaCompiler } from './schema-compiler';

describe(SchemaCompiler.name, () => {
  const compiler = new SchemaCompiler();

  describe('problems', () => {
    it('accepts a draft 2020-12 object schema, with or without $schema', () => {
      const schema = {
        type: 'object',
        properties: {
          amount: { type: 'number' },
          note: { type: ['string', 'null'], maxLength: 10 },
          at: { type: 'string', format: 'date-time' },
        },
        required: ['amount'],
      };
      expect(compiler.problems(schema)).toEqual([]);
      expect(compiler.problems({ $schema: SCHEMA_DIALECT, ...schema })).toEqual([]);
    });

    it('refuses what is not an object schema', () => {
      expect(compiler.problems([])).toEqual([
        '/: must be a JSON object (a schema with "type": "object")',
      ]);
      expect(compiler.problems({ type: 'string' })).toEqual([
        '/type: must be "object": it validates the object in an event\'s properties',
      ]);
    });

    it('refuses another dialect instead of reading it with the wrong rules', () => {
      expect(
        compiler.problems({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }),
      ).toEqual([`/$schema: must be ${SCHEMA_DIALECT} (draft 2020-12) or absent`]);
    });

    it('lists each meta-schema violation with a pointer into the schema', () => {
      const problems = compiler.problems({
        type: 'object',
        properties: { a: { type: 'nummber' }, b: { type: 'string', maxLength: -1 } },
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          '/properties/a/type: must be equal to one of the allowed values',
          '/properties/b/maxLength: must be >= 0',
        ]),
      );
    });

    it.each([
      ['an unknown keyword', { type: 'object', maxLenght: 3 }, /unknown keyword: "maxLenght"/],
      [
        'a keyword without its type',
        { type: 'object', properties: { a: { maxLength: 3 } } },
        /missing type "string" for keyword "maxLength"/,
      ],
      [
        'an undeclared required property',
        { type: 'object', required: ['x'] },
        /required property "x" is not defined/,
      ],
      [
        'an unknown format',
        { type: 'object', properties: { a: { type: 'string', format: 'emial' } } },
        /unknown format "emial"/,
      ],
    ])('refuses %s (strict mode)', (_label, schema, reason) => {
      expect(compiler.problems(schema)).toEqual([expect.stringMatching(reason)]);
    });
  });

  describe('compile', () => {
    const validate = compiler.compile({
      type: 'object',
      properties: {
        amount: { type: 'number' },
        currency: { type: 'string' },
        region: { type: 'string', default: 'eu' },
        at: { type: 'string', format: 'date-time' },
      },
      required: ['amount', 'currency', 'region'],
      additionalProperties: false,
    });

    it('returns no errors for valid properties', () => {
      expect(validate({ amount: 1, currency: 'EUR', region: 'us' })).toEqual([]);
    });

    it("reports every error with a pointer under /properties and ajv's message", () => {
      expect(validate({ amount: 'ten', at: 'yesterday', extra: 1 })).toEqual([
        { pointer: '/properties/currency', message: "must have required property 'currency'" },
        { pointer: '/properties/extra', message: 'must NOT have additional properties' },
        { pointer: '/properties/amount', message: 'must be number' },
        { pointer: '/properties/at', message: 'must match format "date-time"' },
      ]);
    });

    it('fills in defaults, which is what keeps a new required property with a default compatible', () => {
      const properties: Record<string, unknown> = { amount: 1, currency: 'EUR' };
      expect(validate(properties)).toEqual([]);
      expect(properties.region).toBe('eu');
    });
  });
});
