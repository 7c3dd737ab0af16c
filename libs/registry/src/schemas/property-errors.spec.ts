import type { ErrorObject } from 'ajv';
import { toPropertyErrors } from './property-errors';

const error = (e: Partial<ErrorObject>): ErrorObject =>
  ({ instancePath: '', schemaPath: '#', params: {}, keyword: 'type', ...e }) as ErrorObject;

describe(toPropertyErrors.name, () => {
  it("prefixes ajv's instance path with /properties, the event field it validates", () => {
    expect(
      toPropertyErrors([error({ instancePath: '/items/0/sku', message: 'must be string' })]),
    ).toEqual([{ pointer: '/properties/items/0/sku', message: 'must be string' }]);
  });

  it('points at the missing or the unexpected property itself, escaped', () => {
    expect(
      toPropertyErrors([
        error({
          keyword: 'required',
          instancePath: '/a',
          params: { missingProperty: 'x/y' },
          message: "must have required property 'x/y'",
        }),
        error({
          keyword: 'additionalProperties',
          params: { additionalProperty: 'z' },
          message: 'must NOT have additional properties',
        }),
      ]),
    ).toEqual([
      { pointer: '/properties/a/x~1y', message: "must have required property 'x/y'" },
      { pointer: '/properties/z', message: 'must NOT have additional properties' },
    ]);
  });

  it('returns nothing when ajv reported nothing', () => {
    expect(toPropertyErrors(null)).toEqual([]);
  });
});
