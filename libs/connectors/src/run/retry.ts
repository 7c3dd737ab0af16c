import type { RetrySettings } from '../config/connector-config';

/** Socket-level failures and Postgres's connection classes (08…, 57P0x): worth another attempt. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Whether a failure is the source not answering (retry with backoff) rather than something a
 * retry cannot fix (a missing table, a type error in the query, a bad config).
 */
export function isConnectionError(error: unknown): boolean {
  // Not `instanceof Error`: errors from Node's own modules may come from another realm.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) {
    return true;
  }
  if (Array.isArray(errors) && errors.some(isConnectionError)) return true; // AggregateError
  return /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error|socket hang up/i.test(
    String(message),
  );
}

/** The message of whatever was thrown. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}

/**
 * Exponential backoff with jitter before attempt `attempt + 1`: between half and all of
 * backoff · 2^(attempt-1), capped — the random half keeps connectors that failed together from
 * retrying in step, the fixed half keeps the backoff growing.
 */
export function backoffDelay(
  attempt: number,
  retry: RetrySettings,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxBackoffMs, retry.backoffMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
