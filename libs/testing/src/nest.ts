/** What a liveness smoke test needs of a started service (see startTestService in platform). */
export interface StartedService {
  url: string;
  stop(reason: string): Promise<unknown>;
}

/** The smoke test every service shares: it boots and answers GET /health/live as itself. */
export function itAnswersLiveness(service: string, start: () => Promise<StartedService>): void {
  it(`boots and answers GET /health/live as ${service}`, async () => {
    const started = await start();
    try {
      const response = await fetch(`${started.url}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', service });
    } finally {
      await started.stop('test finished');
    }
  });
}
