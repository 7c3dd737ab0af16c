import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { localServices } from './local-services';
import { uniqueName } from './names';

/**
 * scripts/services.sh as its users rely on it: `up` is idempotent, `status` tells the truth, and a
 * crashed Kafka comes back with `up`. It kills the shared broker, so it runs alone, after the other
 * integration tests (scripts/test-all.sh runs jest.serial.config.js last).
 */
const script = join(__dirname, '..', '..', '..', 'scripts', 'services.sh');
const servicesDir =
  process.env.TRIBUTARY_SERVICES_DIR ?? join(__dirname, '..', '..', '..', '.services');

interface Run {
  code: number;
  output: string;
}

async function services(...args: string[]): Promise<Run> {
  return promisify(execFile)('bash', [script, ...args], { maxBuffer: 8 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: error.stdout + error.stderr,
    }),
  );
}

async function kafkaRoundTrip(): Promise<string> {
  const kafka = new Kafka({ brokers: localServices().kafkaBrokers, logLevel: logLevel.NOTHING });
  const topic = uniqueName('services-probe');
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueName('services-probe') });
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    await producer.send({ topic, messages: [{ value: topic }] });
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
  }
}

describe('scripts/services.sh', () => {
  beforeAll(async () => {
    expect((await services('up')).code).toBe(0);
  }, 180_000);

  describe('up', () => {
    it('is a no-op when everything already runs', async () => {
      const second = await services('up');
      expect(second.code).toBe(0);
      expect(second.output).not.toMatch(/starting/i);
      for (const name of ['postgres', 'redis', 'kafka']) {
        expect(second.output).toMatch(new RegExp(`^${name}\\s+ready.*already running`, 'm'));
      }
    });

    it('brings Kafka back after it was killed with SIGKILL', async () => {
      const pid = Number(readFileSync(join(servicesDir, 'kafka', 'kafka.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      await expect(services('status')).resolves.toMatchObject({ code: 3 });

      const restarted = await services('up');
      expect(restarted.code).toBe(0);
      expect(restarted.output).toMatch(/^kafka\s+ready/m);
      expect(await kafkaRoundTrip()).toMatch(/^services-probe-/);
    }, 180_000);
  });

  describe('status', () => {
    it('reports each service as running and exits 0', async () => {
      const status = await services('status');
      expect(status.code).toBe(0);
      expect(status.output.match(/^(postgres|redis|kafka)\s+running/gm)).toHaveLength(3);
    });
  });
});
