import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { currentCorrelationId } from '@tributary/telemetry';
import type { Response } from 'express';

/** Why a whole request was refused; each maps to one HTTP status at the edge only. */
export const INGEST_ERRORS = {
  unauthorized: 401,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  payload_too_large: 413,
  too_many_events: 413,
  invalid_body: 400,
  no_events: 400,
  rate_limited: 429,
  unavailable: 503,
} as const;
export type IngestErrorCode = keyof typeof INGEST_ERRORS;

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

/**
 * Every refusal of `/v1/events` has one JSON shape — `{error: {code, message}, correlation_id}`
 * — whatever raised it: our IngestError, Nest's HTTP exceptions, or a bug (500, logged).
 */
@Catch()
export class IngestErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('IngestErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let code = 'internal_error';
    let message = 'the request failed unexpectedly; it is safe to retry it';
    if (error instanceof IngestError) {
      status = INGEST_ERRORS[error.code];
      code = error.code;
      message = error.message;
      response.set(error.headers);
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      code = status === 404 ? 'not_found' : 'http_error';
      message = error.message;
    } else {
      this.logger.error(error instanceof Error ? error : String(error));
    }
    response
      .status(status)
      .json({ error: { code, message }, correlation_id: currentCorrelationId() });
  }
}
