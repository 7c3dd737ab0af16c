import { loadConfig } from '@tributary/config';
import { BusUnavailableError, LogLockedError } from '@tributary/messaging';
import { tempDir, type TempDir } from '@tributary/testing';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedLogReadiness, messageLogFor } from './message-log';
import { readinessChecks } from './readiness';

describe(messageLogFor.name, () => {
  let dir: TempDir;
  const embedded = () => loadConfig({ TRIBUTARY_DATA_DIR: dir.path });
  const publish = (log: ReturnType<typeof messageLogFor>, value: string) =>
    log.publish([{ topic: 'events', messages: [{ key: 'k', value, headers: {} }] }], {
      timeoutMs: 5_000,
    });

  beforeEach(() => {
    dir = tempDir('message-log-for');
  });

  afterEach(() => dir.remove());

  it('selects Kafka when brokers are configured, without connecting', async () => {
    const log = messageLogFor(
      loadConfig({ TRIBUTARY_DATA_DIR: dir.path, TRIBUTARY_KAFKA_BROKERS: 'kafka:9092' }),
      'speed',
    );
    expect(log.kind).toBe('kafka');
    await log.close();
  });

  it('shares one embedded log under <data folder>/log between the services of a process', async () => {
    const ingest = messageLogFor(embedded(), 'ingest');
    const speed = messageLogFor(embedded(), 'speed');
    expect([ingest.kind, speed.kind]).toEqual(['embedded', 'embedded']);
    expect(existsSync(join(dir.path, 'log', 'LOCK'))).toBe(false); // opened on first use only
    await publish(ingest, 'a');
    await publish(speed, 'b');
    expect(await speed.endOffsets('events')).toEqual(await ingest.endOffsets('events'));
    expect([...(await speed.endOffsets('events')).values()].reduce((a, b) => a + b)).toBe(2n);
    expect(existsSync(join(dir.path, 'log', 'LOCK'))).toBe(true);

    await ingest.close();
    await publish(speed, 'c'); // still open: another handle holds it
    await speed.close();
    expect(existsSync(join(dir.path, 'log', 'LOCK'))).toBe(false); // the last handle closed it
  });

  it('is ready once open and not ready when the folder cannot be opened', async () => {
    const check = embeddedLogReadiness(embedded());
    await expect(check.check()).resolves.toBeUndefined(); // nothing opened it yet
    const log = messageLogFor(embedded());
    await publish(log, 'a');
    await expect(check.check()).resolves.toBeUndefined();
    await expect(readinessChecks(embedded(), ['kafka'])[0].check()).resolves.toBeUndefined();
    await log.close();
  });

  it('answers BusUnavailableError and turns not ready while another process owns the folder', async () => {
    const owner = spawn('sleep', ['30'], { stdio: 'ignore' });
    mkdirSync(join(dir.path, 'log'), { recursive: true });
    writeFileSync(join(dir.path, 'log', 'LOCK'), `${owner.pid}\n`);
    const log = messageLogFor(embedded());
    try {
      const refused = publish(log, 'a');
      await expect(refused).rejects.toBeInstanceOf(BusUnavailableError);
      await expect(refused).rejects.toThrow(`is in use by process ${owner.pid}`);
      await expect(embeddedLogReadiness(embedded()).check()).rejects.toBeInstanceOf(LogLockedError);
    } finally {
      owner.kill('SIGKILL');
      await new Promise((resolve) => owner.once('close', resolve));
    }
    // The owner is gone: the next use takes the stale lock over and the log is ready again.
    await publish(log, 'b');
    await expect(embeddedLogReadiness(embedded()).check()).resolves.toBeUndefined();
    await log.close();
  });
});
