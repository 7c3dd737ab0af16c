import { ITEM_ERROR_CODES } from '@tributary/contracts';
import { INGEST_ERRORS } from './ingest-error';

const example = {
  event_id: '0b6a1f3c-9a4e-4d2b-8f41-5c2e7d9a1b3f',
  type: 'order.placed',
  schema_version: 1,
  occurred_at: '2026-11-26T10:00:00Z',
  subject_id: 'user-42',
  properties: { order_id: 'o-1001', amount: 49.9, currency: 'EUR' },
};

const error = {
  type: 'object',
  required: ['error', 'correlation_id'],
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: Object.keys(INGEST_ERRORS) },
        message: { type: 'string' },
      },
    },
    correlation_id: { type: 'string' },
  },
};

const itemsAnswer = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    correlation_id: { type: 'string' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'status'],
        properties: {
          index: {
            type: 'integer',
            description: 'Position in the request (NDJSON: among non-empty lines).',
          },
          event_id: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['accepted', 'rejected'] },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                code: { type: 'string', enum: [...ITEM_ERROR_CODES] },
                pointer: {
                  type: 'string',
                  description: 'JSON pointer into the event, e.g. /properties/amount',
                },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The ingest API's contract, served at /openapi.json and rendered at /docs. */
export const ingestOpenApi = {
  openapi: '3.0.3',
  info: {
    title: 'Tributary ingest API',
    version: '1',
    description:
      'Send events with your source API key. Each event is validated against its registered schema; the answer tells, per event, whether it was stored. Accepted events are durable in Kafka before the answer. Refused ones are kept on the dead-letter topic with their reasons. Retrying is safe: send event_id (or an Idempotency-Key header) so retries are deduplicated — events with neither get random ids, and their retries cannot be told apart.',
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'trb_… source key' },
    },
    schemas: {
      Event: {
        type: 'object',
        required: ['type', 'occurred_at', 'properties'],
        additionalProperties: false,
        properties: {
          event_id: { type: 'string', format: 'uuid' },
          type: { type: 'string', pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$' },
          schema_version: { type: 'integer', minimum: 1, description: 'Latest when absent.' },
          occurred_at: { type: 'string', format: 'date-time' },
          subject_id: {
            type: 'string',
            maxLength: 256,
            description: 'Partition key (order per subject).',
          },
          properties: { type: 'object', description: "Validated by the type's JSON Schema." },
        },
        example,
      },
      Answer: itemsAnswer,
      Error: error,
    },
  },
  security: [{ apiKey: [] }],
  paths: {
    '/v1/events': {
      post: {
        summary: 'Send one event, an array of events, or NDJSON',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
            description:
              'Events without event_id get ids derived from this key and their position, so a retried request yields the same ids.',
          },
          {
            name: 'Content-Encoding',
            in: 'header',
            required: false,
            schema: { type: 'string', enum: ['gzip'] },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/Event' },
                  { type: 'array', items: { $ref: '#/components/schemas/Event' } },
                ],
              },
              examples: {
                one: { value: example },
                batch: {
                  value: [example, { ...example, event_id: undefined, subject_id: 'user-7' }],
                },
              },
            },
            'application/x-ndjson': {
              schema: { type: 'string', description: 'One event per line.' },
              example: `${JSON.stringify(example)}\n${JSON.stringify({ ...example, event_id: undefined })}\n`,
            },
          },
        },
        responses: {
          '202': {
            description: 'Every event accepted and durable.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } },
          },
          '207': {
            description: 'Some accepted, some refused: see results.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } },
          },
          '400': {
            description: 'No event accepted (see results), or the body could not be read.',
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/Answer' },
                    { $ref: '#/components/schemas/Error' },
                  ],
                },
              },
            },
          },
          '401': errorResponse('Missing, unknown or revoked API key.'),
          '413': errorResponse('Body or event count over the limit.'),
          '415': errorResponse('Unsupported Content-Type or Content-Encoding.'),
          '429': errorResponse(
            'Rate limit of the source exceeded; see Retry-After and RateLimit-* headers.',
          ),
          '503': errorResponse(
            'Kafka did not acknowledge in time; nothing was accepted. Retry after Retry-After seconds.',
          ),
        },
      },
    },
  },
};
