import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { currentCorrelationId } from '@tributary/telemetry';
import type { Request, Response } from 'express';
import { AnswerCache } from './answer-cache';
import { toArrowStream } from './arrow';
import { ARROW_STREAM, BadQuery, parseQueryRequest, type QueryRequest } from './query-request';
import { type QueryAnswer, QueryService } from './query.service';

/** `GET /v1/views`, `GET /v1/query` (query string) and `POST /v1/query` (JSON body). */
@Controller('v1')
export class QueryController {
  private readonly cache: AnswerCache;

  constructor(private readonly queries: QueryService) {
    this.cache = new AnswerCache(queries.cacheBytes);
  }

  @Get('views')
  async views() {
    return { views: await this.queries.catalog() };
  }

  @Get('query')
  async get(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    await this.answer(query, request, response);
  }

  @Post('query')
  async post(@Body() body: unknown, @Req() request: Request, @Res() response: Response) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      response.status(400).json({ error: 'the body must be a JSON object' });
      return;
    }
    await this.answer(body as Record<string, unknown>, request, response);
  }

  private async answer(input: Record<string, unknown>, request: Request, response: Response) {
    try {
      const parsed = parseQueryRequest(input, this.queries.views, {
        maxRows: this.queries.maxRows,
        accept: request.headers.accept,
      });
      // `as_of` a run id names its answer before anything is looked up: a repeat is served from
      // the cache (or a 304) without touching the metadata store or ClickHouse. Only answers of
      // runs checked to be published runs of this view were ever cached under that name.
      const named =
        parsed.asOf && 'runId' in parsed.asOf ? AnswerCache.etag(parsed, parsed.asOf.runId) : '';
      if (named && this.fromCache(parsed, named, request, response)) return;
      const batch = await this.queries.resolveBatch(parsed);
      if (parsed.asOf && batch) {
        // Cannot change: named by an ETag, cached, and a matching conditional GET gets 304.
        const etag = AnswerCache.etag(parsed, batch.runId);
        if (etag !== named && this.fromCache(parsed, etag, request, response)) return;
        this.immutableHeaders(etag, response);
        if (request.headers['if-none-match'] === etag) {
          response.status(304).end();
          return;
        }
        this.countCache(parsed, 'miss');
        this.reply(parsed, this.cache.set(etag, await this.queries.query(parsed, batch)), response);
        return;
      }
      response.setHeader('cache-control', 'no-store');
      this.reply(parsed, { answer: await this.queries.query(parsed, batch) }, response);
    } catch (error) {
      if (error instanceof BadQuery) {
        this.queries.metrics.get('query_rejected_total').inc({ status: String(error.status) });
        response.status(error.status).json({ error: error.message });
        return;
      }
      throw error;
    }
  }

  private countCache(parsed: QueryRequest, result: 'hit' | 'miss'): void {
    this.queries.metrics.get('query_cache_total').inc({ view: parsed.view.name, result });
  }

  private immutableHeaders(etag: string, response: Response): void {
    response.setHeader('etag', etag);
    response.setHeader('cache-control', 'private, max-age=31536000, immutable');
  }

  /** Answers from the cache (a 304 when the client holds it); false when it is not cached. */
  private fromCache(
    parsed: QueryRequest,
    etag: string,
    request: Request,
    response: Response,
  ): boolean {
    const cached = this.cache.get(etag);
    if (!cached) return false;
    this.immutableHeaders(etag, response);
    if (request.headers['if-none-match'] === etag) {
      response.status(304).end();
    } else {
      this.countCache(parsed, 'hit');
      this.reply(parsed, cached, response);
    }
    return true;
  }

  private reply(
    parsed: QueryRequest,
    { answer, rowsJson }: { answer: QueryAnswer; rowsJson?: string },
    response: Response,
  ): void {
    this.queries.metrics
      .get('query_rows_returned_total')
      .inc({ view: parsed.view.name, format: parsed.format }, answer.rows.length);
    if (parsed.format === 'csv') {
      response.status(200).type('text/csv; charset=utf-8').send(toCsv(answer));
    } else if (parsed.format === 'arrow') {
      const stream = toArrowStream(parsed.view, parsed.dimensions, parsed.measures, answer.rows);
      response.status(200).type(ARROW_STREAM).send(Buffer.from(stream));
    } else {
      const meta = { ...answer.meta, correlation_id: currentCorrelationId() ?? null };
      response
        .status(200)
        .type('application/json; charset=utf-8')
        .send(`{"meta":${JSON.stringify(meta)},"rows":${rowsJson ?? JSON.stringify(answer.rows)}}`);
    }
  }
}

/** RFC 4180: a header row, CRLF line ends, fields with `"` `,` or line breaks quoted. */
export function toCsv(answer: QueryAnswer): string {
  const columns = answer.rows[0] ? Object.keys(answer.rows[0]) : [];
  const field = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns, ...answer.rows.map((row) => columns.map((c) => row[c]))]
    .map((cells) => cells.map(field).join(','))
    .map((line) => `${line}\r\n`)
    .join('');
}
