/**
 * JSON Schemas (draft 2020-12) of the demo event types the default views read. They are plain
 * data: register them with the admin CLI (`schemas register <type> <file>`) or through
 * SchemaRegistry, and the demo events (`demoEvents`) validate against them.
 */
export const DEMO_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export const DEMO_EVENT_SCHEMAS = {
  'order.placed': {
    $schema: DEMO_SCHEMA_DIALECT,
    title: 'order.placed',
    description: 'A customer placed an order.',
    type: 'object',
    properties: {
      order_id: { type: 'string', minLength: 1, maxLength: 64 },
      amount: { type: 'number', minimum: 0, description: 'Order total in `currency`.' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code.' },
      item_count: { type: 'integer', minimum: 1 },
      coupon: { type: 'string', maxLength: 32 },
    },
    required: ['order_id', 'amount', 'currency', 'item_count'],
    additionalProperties: false,
  },
  'page.viewed': {
    $schema: DEMO_SCHEMA_DIALECT,
    title: 'page.viewed',
    description: 'A page of the product was shown.',
    type: 'object',
    properties: {
      page: {
        type: 'object',
        properties: {
          path: { type: 'string', pattern: '^/', maxLength: 512 },
          title: { type: 'string', maxLength: 256 },
        },
        required: ['path'],
        additionalProperties: false,
      },
      device: { type: 'string', enum: ['desktop', 'mobile', 'tablet', 'other'] },
      referrer: { type: 'string', maxLength: 2048 },
    },
    required: ['page', 'device'],
    additionalProperties: false,
  },
  'signup.completed': {
    $schema: DEMO_SCHEMA_DIALECT,
    title: 'signup.completed',
    description: 'A visitor created an account.',
    type: 'object',
    properties: {
      plan: { type: 'string', enum: ['free', 'pro', 'team'] },
      trial: { type: 'boolean' },
      seats: { type: 'integer', minimum: 1 },
    },
    required: ['plan', 'trial'],
    additionalProperties: false,
  },
} as const;

export type DemoEventType = keyof typeof DEMO_EVENT_SCHEMAS;
