import type { INestApplication } from '@nestjs/common';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FILTER_OPS } from '@tributary/views';
import type { Request, Response } from 'express';

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string', example: "'region' is not a dimension of view events_by_type_source" },
  },
};

const queryParameters = [
  {
    name: 'view',
    in: 'query',
    required: true,
    schema: { type: 'string' },
    example: 'revenue_by_currency',
  },
  {
    name: 'grain',
    in: 'query',
    schema: { type: 'string', enum: ['minute', 'hour', 'day'] },
    example: 'day',
  },
  {
    name: 'dimensions',
    in: 'query',
    schema: { type: 'string' },
    description: 'comma-separated; empty for none',
    example: 'currency',
  },
  {
    name: 'measures',
    in: 'query',
    schema: { type: 'string' },
    description: 'comma-separated',
    example: 'orders,revenue',
  },
  {
    name: 'filter',
    in: 'query',
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
    description: `dimension:op:value (in/nin: a,b,c); ops ${FILTER_OPS.join(', ')}`,
    example: ['currency:in:EUR,USD'],
  },
  {
    name: 'from',
    in: 'query',
    schema: { type: 'string', format: 'date-time' },
    example: '2026-11-01T00:00:00Z',
  },
  {
    name: 'to',
    in: 'query',
    schema: { type: 'string', format: 'date-time' },
    example: '2026-12-01T00:00:00Z',
  },
  {
    name: 'tz',
    in: 'query',
    schema: { type: 'string' },
    description: 'IANA time zone of day buckets (day grain)',
    example: 'Europe/Paris',
  },
  { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1 }, example: 1000 },
  {
    name: 'cursor',
    in: 'query',
    schema: { type: 'string' },
    description: 'meta.next_cursor of the previous page',
  },
  { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'arrow'] } },
  {
    name: 'as_of',
    in: 'query',
    schema: { type: 'string' },
    description: 'a batch run id, or a time: that published result alone',
  },
];

const answers = {
  '200': {
    description: 'The rows: batch result at its cut T_b plus the real-time contribution from T_b',
    content: {
      'application/json': {
        example: {
          meta: {
            view: 'revenue_by_currency',
            grain: 'day',
            batch: { cut: '2026-11-26T10:00:00.000Z', run_id: 'revenue_by_currency:…' },
            realtime: { newest_ingested_bucket: '2026-11-26 10:42:00' },
            as_of: null,
            rows: 1,
            next_cursor: null,
            elapsed_ms: 12,
            correlation_id: '6f1c…',
          },
          rows: [{ bucket: '2026-11-26 00:00:00', currency: 'EUR', orders: '42', revenue: 2150.5 }],
        },
      },
      'text/csv': {
        example: 'bucket,currency,orders,revenue\r\n2026-11-26 00:00:00,EUR,42,2150.5\r\n',
      },
      'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
    },
  },
  '304': { description: 'as_of answer unchanged (If-None-Match matched its ETag)' },
  '400': {
    description: 'a name the view does not declare, a bad operator, value, time or cursor',
    content: { 'application/json': { schema: errorBody } },
  },
  '404': {
    description: 'unknown view, or as_of run not found',
    content: { 'application/json': { schema: errorBody } },
  },
  '406': {
    description: 'a format other than json, csv or arrow',
    content: { 'application/json': { schema: errorBody } },
  },
  '422': {
    description:
      'limit above TRIBUTARY_SERVING_MAX_ROWS, query over TRIBUTARY_SERVING_QUERY_TIMEOUT, or an as_of run no longer retained',
    content: { 'application/json': { schema: errorBody } },
  },
};

/** The serving API's contract, served at /openapi.json and as Swagger UI at /docs. */
export const servingOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'Tributary serving API',
    version: '1',
    description:
      'Exact answers over the views declared in libs/views: the published batch result at its cut T_b plus every event ingested since — late events included. See docs/serving.md.',
  },
  paths: {
    '/v1/views': {
      get: {
        summary: 'The views: dimensions, measures, grains, batch watermark and real-time freshness',
        responses: {
          '200': {
            description: 'The catalog',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/v1/query': {
      get: {
        summary: 'Query a view (query string)',
        parameters: queryParameters,
        responses: answers,
      },
      post: {
        summary: 'Query a view (JSON body; filters as objects)',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              example: {
                view: 'events_by_type_source',
                grain: 'hour',
                dimensions: ['type'],
                filters: [{ dimension: 'source', op: 'ne', values: ['ios'] }],
                from: '2026-11-26T00:00:00Z',
                limit: 1000,
              },
            },
          },
        },
        responses: answers,
      },
    },
    '/quality': {
      get: {
        summary: 'Data docs: data-quality suites, latest results, history, failing samples (HTML)',
        responses: {
          '200': { description: 'The report', content: { 'text/html': {} } },
          '503': { description: 'no metadata store configured' },
        },
      },
    },
  },
};

/** `/openapi.json` for tools and `/docs` (Swagger UI) for people. */
export function serveServingDocs(app: INestApplication): void {
  const document = servingOpenApi as unknown as OpenAPIObject;
  app.getHttpAdapter().get('/openapi.json', (_request: Request, response: Response) => {
    response.json(document);
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
