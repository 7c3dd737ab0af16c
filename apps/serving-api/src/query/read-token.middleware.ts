import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { QueryService } from './query.service';

/** Read tokens and per-token rate limits on the query routes and /quality. */
@Injectable()
export class ReadTokenMiddleware implements NestMiddleware {
  constructor(private readonly queries: QueryService) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const verdict = await this.queries.authorize(request.headers.authorization);
    if (verdict.ok) {
      for (const [name, value] of Object.entries(verdict.headers)) response.setHeader(name, value);
      next();
      return;
    }
    this.queries.metrics.get('query_rejected_total').inc({ status: String(verdict.status) });
    for (const [name, value] of Object.entries(verdict.headers)) response.setHeader(name, value);
    response.status(verdict.status).json({ error: verdict.message });
  }
}
