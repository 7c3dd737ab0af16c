import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the work in progress, carried through awaits and callbacks by
 * AsyncLocalStorage: loggers, producers and span helpers read it without it being passed along.
 * Separate from the OpenTelemetry context, so it works with tracing off or unsampled.
 */
const storage = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it starts asynchronously) with `id` as the current correlation id. */
export function runWithCorrelation<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

/** The correlation id of the current request or message, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}
