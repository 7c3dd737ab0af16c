import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

export interface TestApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Boots a Nest module on a free loopback port, quietly, for tests that speak HTTP to it. */
export async function startTestApp(module: Type<unknown>): Promise<TestApp> {
  const app = await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** The smoke test every service shares: its root module boots and answers GET /health/live. */
export function itAnswersLiveness(module: Type<unknown>, service: string): void {
  it(`boots and answers GET /health/live as ${service}`, async () => {
    const testApp = await startTestApp(module);
    try {
      const response = await fetch(`${testApp.url}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', service });
    } finally {
      await testApp.close();
    }
  });
}
