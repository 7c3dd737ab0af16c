import { randomBytes } from 'node:crypto';

/**
 * A name no earlier run has used (`orders-m3x1k2-9f3a`), so each test owns its topics, queues and
 * databases and a rerun never sees old state. Only [a-z0-9_-] survive, which every store accepts.
 */
export function uniqueName(prefix: string, separator = '-'): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9]+/g, separator);
  return [clean, Date.now().toString(36), randomBytes(3).toString('hex')].join(separator);
}
