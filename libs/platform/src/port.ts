/** Thrown when a setting is unusable; the message names the key, the value and the expected form. */
export class InvalidSettingError extends Error {
  constructor(
    readonly key: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${key}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'InvalidSettingError';
  }
}

/** `ingest-api` → `TRIBUTARY_INGEST_API_PORT`: one listening port per service, so all fit on one host. */
export function portSettingKey(service: string): string {
  return `TRIBUTARY_${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PORT`;
}

export function readPort(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new InvalidSettingError(key, raw, 'a TCP port, an integer from 0 to 65535');
  }
  return port;
}
