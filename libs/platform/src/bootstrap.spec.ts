import { Controller, Get, Inject, Module, Query } from '@nestjs/common';
import { loadConfig } from '@tributary/config';
import { bootstrapService, type ServiceDefinition } from './bootstrap';
import type { ReadinessCheck } from './health/readiness';
import type { AppLogger } from './logging/logger';
import { APP_LOGGER } from './platform.module';
import { startTestService, type TestService } from './testing/start-test-service';

@Controller('demo')
class DemoController {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  /** Answers after `ms` milliseconds: an in-flight request for the shutdown tests. */
  @Get('slow')
  async slow(@Query('ms') ms = '0'): Promise<{ waited: number }> {
    this.logger.info({ event: 'demo.slow' }, 'handling');
    await new Promise((resolve) => setTimeout(resolve, Number(ms)));
    return { waited: Number(ms) };
  }
}

@Module({ controllers: [DemoController] })
class DemoModule {}

const demo = (readiness: ReadinessCheck[] = []): ServiceDefinition => ({
  name: 'demo-service',
  module: DemoModule,
  defaultPort: 1,
  readiness: () => readiness,
});

describe(bootstrapService.name, () => {
  let booted: TestService | undefined;

  afterEach(async () => {
    await booted?.stop('test finished');
    booted = undefined;
  });

  it('listens, logs one structured start line and answers liveness', async () => {
    booted = await startTestService(demo());
    const start = booted.logs.find((line) => line.event === 'service.started');
    expect(start).toMatchObject({
      level: 'info',
      service: 'demo-service',
      url: booted.url,
      profile: 'embedded',
      pid: process.pid,
    });
    expect(start?.version).toMatch(/^\d+\.\d+\.\d+/);

    const live = await fetch(`${booted.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok', service: 'demo-service' });
  });

  it('refuses a bad port before anything listens', async () => {
    await expect(
      bootstrapService(
        { name: 'demo-service', module: DemoModule, defaultPort: 0 },
        { config: loadConfig({}), telemetry: { shutdown: async () => undefined } },
        { env: { TRIBUTARY_DEMO_SERVICE_PORT: 'eighty' } },
      ),
    ).rejects.toThrow('TRIBUTARY_DEMO_SERVICE_PORT="eighty" is invalid');
  });

  describe('correlation ids', () => {
    it('echoes a sane x-correlation-id and stamps it on the log lines of the request', async () => {
      booted = await startTestService(demo());
      const response = await fetch(`${booted.url}/demo/slow`, {
        headers: { 'x-correlation-id': 'order-7.retry:2' },
      });
      expect(response.headers.get('x-correlation-id')).toBe('order-7.retry:2');
      const line = booted.logs.find((l) => l.event === 'demo.slow');
      expect(line?.correlation_id).toBe('order-7.retry:2');
      const requestLine = booted.logs.find((l) => l.event === 'http.request');
      expect(requestLine).toMatchObject({
        correlation_id: 'order-7.retry:2',
        method: 'GET',
        path: '/demo/slow',
        status: 200,
      });
    });

    it('replaces an unusable id with a generated one', async () => {
      booted = await startTestService(demo());
      const response = await fetch(`${booted.url}/demo/slow`, {
        headers: { 'x-correlation-id': 'has spaces; and <html>' },
      });
      const echoed = response.headers.get('x-correlation-id');
      expect(echoed).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
      expect(echoed).not.toBe('has spaces; and <html>');
    });
  });

  describe('/health/ready', () => {
    it('answers 503 naming the dependency that is down, 200 once it answers', async () => {
      let kafkaUp = false;
      booted = await startTestService(
        demo([
          {
            name: 'kafka',
            check: async () => {
              if (!kafkaUp) throw new Error('connect ECONNREFUSED 127.0.0.1:9092');
            },
          },
        ]),
      );
      const down = await fetch(`${booted.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: 'error',
        checks: { kafka: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:9092' } },
      });

      kafkaUp = true;
      const up = await fetch(`${booted.url}/health/ready`);
      expect(up.status).toBe(200);
      expect(await up.json()).toMatchObject({ status: 'ok', checks: { kafka: { status: 'up' } } });
    });
  });

  describe('/metrics', () => {
    it('serves the text exposition format with request timings by route template', async () => {
      booted = await startTestService(demo());
      await fetch(`${booted.url}/demo/slow?ms=1`);
      const response = await fetch(`${booted.url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const text = await response.text();
      const count = text
        .split('\n')
        .find((line) => line.startsWith('tributary_http_request_duration_seconds_count{'));
      expect(count).toContain('route="/demo/slow"');
      expect(count).toContain('status="200"');
      expect(count).toMatch(/ 1$/);
    });
  });

  describe('stop', () => {
    it('lets an in-flight request finish, then refuses new connections and flushes telemetry', async () => {
      booted = await startTestService(demo());
      const { url } = booted;
      const inFlight = fetch(`${url}/demo/slow?ms=300`);
      await new Promise((resolve) => setTimeout(resolve, 50));

      await expect(booted.stop('SIGTERM')).resolves.toBe('clean');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ waited: 300 });
      await expect(fetch(`${url}/health/live`)).rejects.toThrow();
      expect(booted.flushed()).toBe(true);
      expect(booted.logs.find((l) => l.event === 'service.stopped')).toMatchObject({
        reason: 'SIGTERM',
        outcome: 'clean',
      });
    });

    it('gives up waiting after the shutdown timeout and says so', async () => {
      booted = await startTestService(demo(), { TRIBUTARY_SHUTDOWN_TIMEOUT: '100ms' });
      const inFlight = fetch(`${booted.url}/demo/slow?ms=1500`).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));

      await expect(booted.stop('SIGTERM')).resolves.toBe('timeout');
      expect(booted.logs.find((l) => l.event === 'service.stopped')).toMatchObject({
        level: 'error',
        outcome: 'timeout',
      });
      await inFlight;
    });
  });
});
