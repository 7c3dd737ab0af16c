import { randomUUID } from 'node:crypto';

/**
 * A correlation id arrives from outside (any HTTP client, any Kafka producer) and ends up in log
 * lines, span attributes, Kafka headers and stored rows. Only a short token of safe characters is
 * accepted, so it can never inject log lines, header values or markup downstream.
 */
const SANE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id itself when it is 1..128 characters of `[A-Za-z0-9._:-]`; otherwise `undefined`. */
export function sanitizeCorrelationId(raw: unknown): string | undefined {
  return typeof raw === 'string' && SANE_CORRELATION_ID.test(raw) ? raw : undefined;
}

/** A fresh id for work that arrived without a usable one: a random UUID v4. */
export function newCorrelationId(): string {
  return randomUUID();
}
