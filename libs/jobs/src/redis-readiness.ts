import Redis from 'ioredis';

/**
 * Readiness probe for Redis: PING on a dedicated connection. The offline queue is off, so while
 * Redis is down the probe fails at once instead of queueing; ioredis keeps reconnecting in the
 * background and the probe passes again as soon as Redis is back.
 */
export function redisReadiness(url: string) {
  let closed = false;
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    // Keep reconnecting every 500 ms until closed; a reconnect scheduled by a connection error
    // that lands after close() must not keep the process alive.
    retryStrategy: () => (closed ? null : 500),
  });
  client.on('error', () => undefined); // state is reported by the probe, not as unhandled errors
  return {
    name: 'redis',
    async check(): Promise<void> {
      if (client.status === 'wait') await client.connect();
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    },
    // A probe holds no state worth a graceful QUIT; disconnect() also cancels pending reconnects.
    close: async () => {
      closed = true;
      client.disconnect();
    },
  };
}
