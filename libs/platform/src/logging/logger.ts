import { currentLogContext } from '@tributary/telemetry';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';

export type AppLogger = Logger;

export interface LoggerOptions {
  service: string;
  version: string;
  level: Level;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * Field paths whose values never reach a log line, wherever a caller puts them: credentials in
 * headers, config objects and error details. Values are replaced, the keys stay visible.
 */
export const REDACTED_PATHS = [
  'authorization',
  'password',
  'token',
  'apiKey',
  'api_key',
  'secret',
  '*.authorization',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
];

/** Secrets that hide inside free text: bearer tokens and passwords in connection URLs. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1[redacted]@');
}

/**
 * The service's JSON logger. Every line carries service, version and — inside a request or a
 * message — `correlation_id`, `trace_id` and `span_id`, so a log line leads to its trace and back.
 */
export function createLogger(options: LoggerOptions): AppLogger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, version: options.version, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => currentLogContext(),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
