import { Module } from '@nestjs/common';
import { bootstrapService } from './bootstrap';
import { PlatformModule } from './platform.module';

@Module({ imports: [PlatformModule.forService('demo-service')] })
class DemoModule {}

/** Parses the JSON log lines written to stdout while `run` executes. */
async function captureJsonLines<T>(
  run: () => Promise<T>,
): Promise<{ result: T; lines: unknown[] }> {
  const chunks: string[] = [];
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(chunk.toString());
      return true;
    });
  try {
    const result = await run();
    const lines = chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as unknown);
    return { result, lines };
  } finally {
    spy.mockRestore();
  }
}

describe(bootstrapService.name, () => {
  it('listens on the configured port, logs one structured start line and answers liveness', async () => {
    const env = { TRIBUTARY_DEMO_SERVICE_PORT: '0', TRIBUTARY_HOST: '127.0.0.1' };
    const { result, lines } = await captureJsonLines(() =>
      bootstrapService({ name: 'demo-service', module: DemoModule, defaultPort: 1, env }),
    );
    try {
      const start = lines.find(
        (line) => (line as { message?: { event?: string } }).message?.event === 'service.started',
      ) as { level: string; message: Record<string, unknown> };
      expect(start.level).toBe('log');
      expect(start.message).toMatchObject({
        service: 'demo-service',
        url: result.url,
        pid: process.pid,
      });
      expect(start.message.version).toMatch(/^\d+\.\d+\.\d+/);

      const response = await fetch(`${result.url}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', service: 'demo-service' });
    } finally {
      await result.app.close();
    }
  });

  it('refuses a bad port before anything listens', async () => {
    await expect(
      bootstrapService({
        name: 'demo-service',
        module: DemoModule,
        defaultPort: 0,
        env: { TRIBUTARY_DEMO_SERVICE_PORT: 'eighty' },
      }),
    ).rejects.toThrow('TRIBUTARY_DEMO_SERVICE_PORT="eighty" is invalid');
  });
});
