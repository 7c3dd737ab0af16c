import { isProbeRequest } from './probe-requests';

describe(isProbeRequest.name, () => {
  it.each([
    ['GET', '/health/live'],
    ['GET', '/metrics'],
    ['GET', '/metrics?name[]=tributary_events_ingested_total'],
  ])('skips %s %s', (method, url) => {
    expect(isProbeRequest({ method, url })).toBe(true);
  });

  it.each([
    ['GET', '/health/ready'],
    ['POST', '/metrics'],
    ['HEAD', '/health/live'],
    ['GET', '/health/live/extra'],
    ['GET', '/v1/events'],
    ['POST', '/v1/events'],
    ['GET', undefined],
  ])('traces %s %s', (method, url) => {
    expect(isProbeRequest({ method, url })).toBe(false);
  });
});
