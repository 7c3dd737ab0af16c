import { context, type Span, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { NestMiddleware } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { runWithCorrelation } from './correlation-context';
import { newCorrelationId, sanitizeCorrelationId } from './correlation-id';
import { CORRELATION_ID_ATTRIBUTE, CORRELATION_ID_HEADER } from './names';

/** The parts of an express (or plain Node) request and response the middleware touches. */
export interface CorrelationRequest {
  headers: IncomingHttpHeaders;
}
export interface CorrelationResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * Express-style middleware: takes the caller's `x-correlation-id` when it is a sane token (else
 * generates one), echoes it on the response, tags the HTTP server span with it and runs the rest of
 * the request with it as the current correlation id.
 *
 * Register it before anything that logs or produces, e.g. `app.use(correlationMiddleware)` in
 * main.ts, or `consumer.apply(CorrelationMiddleware).forRoutes('*')` in a Nest module.
 */
export function correlationMiddleware(
  req: CorrelationRequest,
  res: CorrelationResponse,
  next: (error?: unknown) => void,
): void {
  const id = sanitizeCorrelationId(req.headers[CORRELATION_ID_HEADER]) ?? newCorrelationId();
  res.setHeader(CORRELATION_ID_HEADER, id);
  requestSpan()?.setAttribute(CORRELATION_ID_ATTRIBUTE, id);
  runWithCorrelation(id, () => next());
}

/**
 * The same middleware as a Nest class, for `MiddlewareConsumer.apply()`. It has no dependencies,
 * so it needs no `@Injectable()` (which keeps @nestjs/common out of the instrument file's imports).
 */
export class CorrelationMiddleware implements NestMiddleware {
  use(req: CorrelationRequest, res: CorrelationResponse, next: (error?: unknown) => void): void {
    correlationMiddleware(req, res, next);
  }
}

/**
 * The HTTP server span of the request. Inside express middleware the active span is the
 * instrumentation's middleware span; the http instrumentation leaves the server span in the
 * context's RPC metadata, so the attribute lands where trace searches look for it.
 */
function requestSpan(): Span | undefined {
  const active = context.active();
  return getRPCMetadata(active)?.span ?? trace.getSpan(active);
}
