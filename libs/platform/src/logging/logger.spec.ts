import { runWithCorrelation } from '@tributary/telemetry';
import { jsonLinesSink } from '../testing/json-lines';
import { createLogger, scrubSecrets } from './logger';

function capture() {
  const { stream, lines } = jsonLinesSink();
  const logger = createLogger({
    service: 'demo',
    version: '1.2.3',
    level: 'debug',
    destination: stream,
  });
  return { logger, lines };
}

describe(createLogger.name, () => {
  it('writes one JSON object per line with level name, ISO time, service and version', () => {
    const { logger, lines } = capture();
    logger.info({ event: 'demo.happened' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'demo',
      version: '1.2.3',
      event: 'demo.happened',
      msg: 'hello',
    });
    expect(new Date(String(lines[0].time)).toISOString()).toBe(lines[0].time);
  });

  it('carries the correlation id of the surrounding request or message', () => {
    const { logger, lines } = capture();
    runWithCorrelation('corr-42', () => logger.info('inside'));
    logger.info('outside');
    expect(lines[0].correlation_id).toBe('corr-42');
    expect(lines[1].correlation_id).toBeUndefined();
  });

  it('redacts credentials wherever a caller puts them', () => {
    const { logger, lines } = capture();
    logger.info({
      headers: { authorization: 'Bearer abc.def', 'x-api-key': 'k-123', accept: '*/*' },
      config: { password: 'hunter2', token: 't-1', host: 'db' },
      apiKey: 'k-456',
    });
    const line = JSON.stringify(lines[0]);
    for (const secret of ['abc.def', 'k-123', 'hunter2', 't-1', 'k-456']) {
      expect(line).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      headers: { authorization: '[redacted]', accept: '*/*' },
      config: { host: 'db' },
    });
  });

  it('scrubs tokens and URL passwords out of message text', () => {
    const { logger, lines } = capture();
    logger.warn('retrying postgres://app:s3cret@db:5432/x with Bearer eyJhbGciOi.payload.sig');
    expect(lines[0].msg).toBe(
      'retrying postgres://app:[redacted]@db:5432/x with Bearer [redacted]',
    );
  });
});

describe(scrubSecrets.name, () => {
  it('leaves ordinary text alone', () => {
    expect(scrubSecrets('connected to http://db:5432 as app')).toBe(
      'connected to http://db:5432 as app',
    );
  });
});
