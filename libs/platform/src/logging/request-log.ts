import { isProbeRequest } from '@tributary/telemetry';
import type { NextFunction, Request, Response } from 'express';
import type { AppLogger } from './logger';

/**
 * One log line per finished HTTP request (`event: http.request`), carrying the request's
 * correlation and trace ids like every line logged while it ran. Liveness probes and metric
 * scrapes are left out: they would drown everything else.
 */
export function requestLog(logger: AppLogger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (isProbeRequest(request)) return next();
    const started = performance.now();
    response.once('finish', () => {
      const status = response.statusCode;
      logger[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info']({
        event: 'http.request',
        method: request.method,
        path: request.path,
        status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    next();
  };
}
