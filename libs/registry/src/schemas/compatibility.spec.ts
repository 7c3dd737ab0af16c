import { backwardIncompatibilities } from './compatibility';

const order = {
  type: 'object',
  properties: {
    amount: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    customer: {
      type: 'object',
      properties: { id: { type: 'string' }, email: { type: 'string', maxLength: 200 } },
      required: ['id'],
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, quantity: { type: 'number' } },
        required: ['sku'],
      },
    },
  },
  required: ['amount', 'currency'],
};

describe(backwardIncompatibilities.name, () => {
  it('finds nothing between a schema and itself', () => {
    expect(backwardIncompatibilities(order, order)).toEqual([]);
  });

  it('accepts widening changes everywhere', () => {
    const next = {
      ...order,
      properties: {
        ...order.properties,
        note: { type: 'string' },
        currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
        customer: {
          ...order.properties.customer,
          properties: { ...order.properties.customer.properties, email: { type: 'string' } },
        },
      },
    };
    expect(backwardIncompatibilities(order, next)).toEqual([]);
  });

  it('recurses into nested objects and array items, listing every reason with its pointer', () => {
    const next = {
      type: 'object',
      additionalProperties: false,
      properties: {
        amount: { type: 'integer', minimum: 0 },
        currency: { type: 'string', enum: ['EUR'] },
        customer: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            email: { type: 'string', maxLength: 100 },
            tier: { type: 'string' },
          },
          required: ['id', 'tier'],
        },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { sku: { type: 'string' }, quantity: { type: 'integer' } },
          },
        },
      },
      required: ['amount', 'currency'],
    };
    expect(backwardIncompatibilities(order, next)).toEqual([
      '/additionalProperties: changed to false; properties that were allowed before are now refused',
      '/properties/amount/type: type narrowed from number to integer: number no longer accepted',
      '/properties/currency/enum: value "USD" was removed',
      '/properties/customer/properties/tier: "tier" is newly required and has no default; events without it were valid',
      '/properties/customer/properties/email/maxLength: maxLength lowered from 200 to 100',
      '/properties/items/items/required: "sku" is no longer required; consumers rely on it',
      '/properties/items/items/properties/quantity/type: type narrowed from number to integer: number no longer accepted',
    ]);
  });

  it('treats missing items as any element, so adding a typed items schema narrows', () => {
    const before = { type: 'object', properties: { tags: { type: 'array' } } };
    const after = {
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string' } } },
    };
    expect(backwardIncompatibilities(before, after)).toEqual([
      '/properties/tags/items/type: type string added where any type was accepted',
    ]);
  });

  it('compares tuple positions and object-valued additionalProperties', () => {
    const before = {
      type: 'object',
      properties: {
        point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] },
      },
      additionalProperties: { type: ['string', 'number'] },
    };
    const after = {
      type: 'object',
      properties: {
        point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'integer' }] },
      },
      additionalProperties: { type: 'string' },
    };
    expect(backwardIncompatibilities(before, after)).toEqual([
      '/properties/point/prefixItems/1/type: type narrowed from number to integer: number no longer accepted',
      '/additionalProperties/type: type narrowed from [string, number] to string: number no longer accepted',
    ]);
  });

  it('escapes property names in pointers and reads boolean schemas', () => {
    const before = { type: 'object', properties: { 'a/b~c': true } };
    const after = { type: 'object', properties: { 'a/b~c': false } };
    expect(backwardIncompatibilities(before, after)).toEqual([
      '/properties/a~1b~0c: now accepts nothing (false schema)',
    ]);
  });
});
