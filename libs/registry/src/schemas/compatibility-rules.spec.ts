import {
  additionalPropertiesClosed,
  boundNarrowed,
  compatibilityRules,
  enumValueRemoved,
  newRequiredWithoutDefault,
  requiredRemoved,
  typeNarrowed,
} from './compatibility-rules';
import type { SchemaObject } from './schema-node';

const object = (extra: SchemaObject = {}): SchemaObject => ({ type: 'object', ...extra });

describe('compatibilityRules', () => {
  it('lists every rule once', () => {
    expect(compatibilityRules.map((rule) => rule.name)).toEqual([
      'new required property without a default',
      'required property removed',
      'type narrowed',
      'enum value removed',
      'additional properties no longer allowed',
      'bound narrowed',
    ]);
  });
});

describe(newRequiredWithoutDefault.name, () => {
  const previous = object({ properties: { amount: { type: 'number' } }, required: ['amount'] });

  describe('check', () => {
    it('accepts a new optional property and a new required one with a default', () => {
      const next = object({
        properties: {
          amount: { type: 'number' },
          note: { type: 'string' },
          currency: { type: 'string', default: 'EUR' },
        },
        required: ['amount', 'currency'],
      });
      expect(newRequiredWithoutDefault.check(previous, next, '')).toEqual([]);
    });

    it('refuses a new required property, and an optional one made required, without a default', () => {
      const before = object({ properties: { note: { type: 'string' } } });
      const next = object({
        properties: { note: { type: 'string' }, currency: { type: 'string' } },
        required: ['note', 'currency'],
      });
      expect(newRequiredWithoutDefault.check(before, next, '/properties/order')).toEqual([
        '/properties/order/properties/note: "note" is newly required and has no default; events without it were valid',
        '/properties/order/properties/currency: "currency" is newly required and has no default; events without it were valid',
      ]);
    });
  });
});

describe(requiredRemoved.name, () => {
  const previous = object({
    properties: { amount: { type: 'number' }, currency: { type: 'string' } },
    required: ['amount', 'currency'],
  });

  describe('check', () => {
    it('accepts the same required list in another order', () => {
      const next = { ...previous, required: ['currency', 'amount'] };
      expect(requiredRemoved.check(previous, next, '')).toEqual([]);
    });

    it('refuses a property made optional and a required property dropped', () => {
      const next = object({ properties: { amount: { type: 'number' } } });
      expect(requiredRemoved.check(previous, next, '')).toEqual([
        '/required: "amount" is no longer required; consumers rely on it',
        '/properties/currency: required property "currency" was removed',
      ]);
    });
  });
});

describe(typeNarrowed.name, () => {
  const check = (before: SchemaObject, after: SchemaObject) =>
    typeNarrowed.check(before, after, '/properties/x');

  describe('check', () => {
    it('accepts the same type, a widened one and a type removed', () => {
      expect(check({ type: 'integer' }, { type: 'number' })).toEqual([]);
      expect(check({ type: 'string' }, { type: ['string', 'null'] })).toEqual([]);
      expect(check({ type: ['null', 'string'] }, { type: ['string', 'null'] })).toEqual([]);
      expect(check({ type: 'string' }, {})).toEqual([]);
    });

    it('refuses number → integer', () => {
      expect(check({ type: 'number' }, { type: 'integer' })).toEqual([
        '/properties/x/type: type narrowed from number to integer: number no longer accepted',
      ]);
    });

    it('refuses [string, null] → string', () => {
      expect(check({ type: ['string', 'null'] }, { type: 'string' })).toEqual([
        '/properties/x/type: type narrowed from [string, null] to string: null no longer accepted',
      ]);
    });

    it('refuses a type added where there was none', () => {
      expect(check({}, { type: 'string' })).toEqual([
        '/properties/x/type: type string added where any type was accepted',
      ]);
    });
  });
});

describe(enumValueRemoved.name, () => {
  const check = (before: SchemaObject, after: SchemaObject) =>
    enumValueRemoved.check(before, after, '/properties/status');

  describe('check', () => {
    it('accepts added values, a reordered enum and an enum removed', () => {
      expect(check({ enum: ['a', 'b'] }, { enum: ['b', 'a', 'c'] })).toEqual([]);
      expect(check({ enum: [{ k: 1 }] }, { enum: [{ k: 1 }, null] })).toEqual([]);
      expect(check({ enum: ['a'] }, {})).toEqual([]);
      expect(check({ const: 'a' }, { enum: ['a', 'b'] })).toEqual([]);
    });

    it('refuses each removed value, one reason each', () => {
      expect(check({ enum: ['paid', 'refunded', 1] }, { enum: ['paid'] })).toEqual([
        '/properties/status/enum: value "refunded" was removed',
        '/properties/status/enum: value 1 was removed',
      ]);
    });

    it('refuses an enum or a const added where any value was accepted', () => {
      expect(check({ type: 'string' }, { enum: ['a'] })).toEqual([
        '/properties/status/enum: enum added where any value was accepted',
      ]);
      expect(check({ enum: ['a', 'b'] }, { const: 'a' })).toEqual([
        '/properties/status/const: value "b" was removed',
      ]);
    });
  });
});

describe(additionalPropertiesClosed.name, () => {
  describe('check', () => {
    it('accepts an object that stays open, or stays closed with the same properties', () => {
      const closed = object({ properties: { a: {} }, additionalProperties: false });
      expect(additionalPropertiesClosed.check(object(), object(), '')).toEqual([]);
      expect(
        additionalPropertiesClosed.check(object({ additionalProperties: false }), object(), ''),
      ).toEqual([]);
      expect(
        additionalPropertiesClosed.check(closed, { ...closed, properties: { a: {}, b: {} } }, ''),
      ).toEqual([]);
    });

    it('refuses additionalProperties changed from allowed (absent, true or a schema) to false', () => {
      for (const allowed of [undefined, true, { type: 'string' }]) {
        const previous = object(allowed === undefined ? {} : { additionalProperties: allowed });
        expect(
          additionalPropertiesClosed.check(previous, object({ additionalProperties: false }), ''),
        ).toEqual([
          '/additionalProperties: changed to false; properties that were allowed before are now refused',
        ]);
      }
    });

    it('refuses an optional property removed from a closed object', () => {
      const previous = object({ properties: { a: {}, b: {} }, additionalProperties: false });
      const next = object({ properties: { a: {} }, additionalProperties: false });
      expect(additionalPropertiesClosed.check(previous, next, '')).toEqual([
        '/properties/b: property "b" was removed while additionalProperties is false; events with it are now refused',
      ]);
    });
  });
});

describe(boundNarrowed.name, () => {
  const check = (before: SchemaObject, after: SchemaObject) =>
    boundNarrowed.check(before, after, '/properties/x');

  describe('check', () => {
    it('accepts bounds kept, widened or removed', () => {
      expect(check({ maxLength: 10, minLength: 2 }, { maxLength: 10, minLength: 2 })).toEqual([]);
      expect(check({ maximum: 10, minimum: 2 }, { maximum: 20, minimum: 0 })).toEqual([]);
      expect(check({ maxItems: 3, minProperties: 1 }, {})).toEqual([]);
    });

    it('refuses a lower maxLength or maximum and a higher minLength or minimum', () => {
      expect(
        check(
          { maxLength: 100, maximum: 10, minLength: 1, minimum: 0 },
          { maxLength: 50, maximum: 9.5, minLength: 2, minimum: 1 },
        ),
      ).toEqual([
        '/properties/x/maxLength: maxLength lowered from 100 to 50',
        '/properties/x/maximum: maximum lowered from 10 to 9.5',
        '/properties/x/minLength: minLength raised from 1 to 2',
        '/properties/x/minimum: minimum raised from 0 to 1',
      ]);
    });

    it('refuses a bound added where there was none, for items and properties too', () => {
      expect(check({}, { maxItems: 5, exclusiveMinimum: 0 })).toEqual([
        '/properties/x/maxItems: maxItems 5 added where there was no limit',
        '/properties/x/exclusiveMinimum: exclusiveMinimum 0 added where there was no limit',
      ]);
    });
  });
});
