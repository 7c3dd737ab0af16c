import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

/**
 * Express middleware timing every HTTP request once the response is finished, so the status is
 * the one the client got (exception filters included). Labelled by route template, not raw path:
 * ids in paths would explode the number of series.
 */
export function httpMetrics(metrics: Metrics) {
  const duration = metrics.get('http_request_duration_seconds');
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = duration.startTimer();
    response.once('finish', () => {
      const template = (request.route as { path?: string } | undefined)?.path;
      stop({
        method: request.method,
        route: template ? `${request.baseUrl}${template}` : 'unmatched',
        status: String(response.statusCode),
      });
    });
    next();
  };
}
