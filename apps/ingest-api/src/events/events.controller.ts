import { Controller, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EventsService } from './events.service';
import { IngestErrorFilter } from './ingest-error';

@Controller('v1/events')
@UseFilters(IngestErrorFilter)
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** One event, a JSON array or NDJSON, optionally gzip: 202 / 207 / 400 with a result per item. */
  @Post()
  async ingest(@Req() request: Request, @Res() response: Response): Promise<void> {
    const answer = await this.events.ingest({ headers: request.headers, body: request });
    response.status(answer.status).set(answer.headers).json(answer.body);
  }
}
