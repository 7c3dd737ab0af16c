import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { Metrics } from '@tributary/platform';
import {
  createTestDatabase,
  parsePrometheusText,
  tempDir,
  type TempDir,
  type TestDatabase,
} from '@tributary/testing';
import { createWarehouseClient } from '@tributary/warehouse';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { type AlertLogger, QualityAlerts } from '../alerts/quality-alerts';
import type { SlackPayload } from '../alerts/slack-payload';
import { runDataDocsCli } from '../cli/data-docs-cli';
import { loadDataDocs } from '../docs/load-data-docs';
import { QualityModule } from '../http/quality.module';
import { QualityStore } from '../store/quality-store';
import { byAttr, byTag, findAll, parseHtml } from '../testing/html-query';
import { createOrdersTables, NOW, ORDERS_SUITE_YAML, ordersSuite } from '../testing/orders-fixture';
import { auditThenPublish, runCheckpoint } from './run-checkpoint';

/** Log lines as the alerts wrote them (our own port: a recording logger). */
class RecordingLogger implements AlertLogger {
  readonly lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  error(fields: object, message: string) {
    this.lines.push({ level: 'error', fields: fields as Record<string, unknown>, message });
  }
  warn(fields: object, message: string) {
    this.lines.push({ level: 'warn', fields: fields as Record<string, unknown>, message });
  }
  info(fields: object, message: string) {
    this.lines.push({ level: 'info', fields: fields as Record<string, unknown>, message });
  }
}

describe(runCheckpoint.name, () => {
  const suite = ordersSuite();
  let database: TestDatabase;
  let dataSource: DataSource;
  let dir: TempDir;
  let client: ClickHouseClient;
  let store: QualityStore;
  let webhook: Server;
  let webhookUrl: string;
  const received: SlackPayload[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('quality');
    dataSource = await createMetadataDataSource({ url: database.url, poolSize: 2 }).initialize();
    await migrateMetadata(dataSource);
    store = new QualityStore(dataSource);
    dir = tempDir('quality-checkpoint');
    client = createWarehouseClient({ kind: 'embedded', path: dir.path });
    await createOrdersTables(client);
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(body) as SlackPayload);
        response.end('ok');
      });
    }).listen(0, '127.0.0.1');
    await once(webhook, 'listening');
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    webhook?.close();
    await client?.close();
    dir?.remove();
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Each run a minute after the one before, so "latest" is well defined. */
  let runs = 0;
  const checkpoint = (
    table: string,
    alerts: QualityAlerts,
    extra: { snapshotId?: bigint; checkpoint?: string } = {},
  ) => {
    const at = new Date(NOW.getTime() + 60_000 * runs++);
    return runCheckpoint({
      client,
      suite,
      table,
      checkpoint: extra.checkpoint ?? 'publish:orders',
      snapshotId: extra.snapshotId,
      store,
      alerts,
      now: () => at,
      sampleRows: 3,
    });
  };

  it('passes on good data, stores the run and alerts nobody', async () => {
    const logger = new RecordingLogger();
    const metrics = new Metrics('quality-test');
    const result = await checkpoint(
      'orders_good',
      new QualityAlerts({ logger, metrics, webhookUrl }),
    );

    expect(result.passed).toBe(true);
    expect(result.runId).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await dataSource.query(
      'SELECT suite, checkpoint, table_name, snapshot_id, passed, success_rate, expectations, failed FROM dq_runs WHERE id = $1',
      [result.runId],
    );
    expect(row).toEqual({
      suite: 'orders',
      checkpoint: 'publish:orders',
      table_name: 'orders_good',
      snapshot_id: null,
      passed: true,
      success_rate: 1,
      expectations: 12,
      failed: 0,
    });
    expect(received).toEqual([]);
    expect(logger.lines.map((l) => l.level)).toEqual(['info']);
    const families = parsePrometheusText(await metrics.registry.metrics());
    const ratio = families.find((f) => f.name === 'tributary_dq_pass_ratio');
    expect(ratio?.metrics).toEqual([
      { labels: { service: 'quality-test', suite: 'orders' }, value: '1' },
    ]);
  });

  it('blocks on bad data: results land in Postgres, and log, metric and webhook alert', async () => {
    const logger = new RecordingLogger();
    const metrics = new Metrics('quality-test');
    const alerts = new QualityAlerts({
      logger,
      metrics,
      webhookUrl,
      reportUrl: 'https://dq.example/quality',
    });
    const result = await checkpoint('orders_bad', alerts, {
      snapshotId: 8_123_456_789_012_345_678n,
    });

    expect(result.passed).toBe(false);
    expect(result.snapshotId).toBe('8123456789012345678');
    expect(result.startedAt).toEqual(new Date(NOW.getTime() + 60_000));
    const stored = await store.run(result.runId as string);
    expect(stored).toEqual({
      id: result.runId,
      suite: 'orders',
      checkpoint: 'publish:orders',
      table: 'orders_bad',
      snapshotId: '8123456789012345678',
      passed: false,
      successRate: 0,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      results: result.results,
    });
    const rows: {
      expectation: string;
      status: string;
      failing_rows: string | null;
      samples: unknown;
    }[] = await dataSource.query(
      'SELECT expectation, status, failing_rows, samples FROM dq_results WHERE run_id = $1 ORDER BY position',
      [result.runId],
    );
    expect(rows).toHaveLength(12);
    expect(rows.find((r) => r.expectation === 'accepted_values:currency')).toEqual({
      expectation: 'accepted_values:currency',
      status: 'failed',
      failing_rows: '1',
      samples: [expect.objectContaining({ currency: 'GBP' })],
    });

    const [failed] = logger.lines.filter((l) => l.level === 'error');
    expect(failed.fields).toMatchObject({
      event: 'dq.checkpoint_failed',
      suite: 'orders',
      run_id: result.runId,
      snapshot_id: '8123456789012345678',
    });
    expect(failed.fields.failures).toHaveLength(12);

    const failures = parsePrometheusText(await metrics.registry.metrics()).find(
      (f) => f.name === 'tributary_dq_expectation_failures_total',
    );
    const bySeverity = Object.fromEntries(
      (failures?.metrics ?? []).map((m) => [m.labels?.severity, Number(m.value)]),
    );
    expect(bySeverity).toEqual({ error: 11, warn: 1 });

    expect(received).toHaveLength(1);
    const [payload] = received;
    expect(payload.text).toBe(
      'Data quality: suite orders failed at checkpoint publish:orders (12 expectation(s))',
    );
    expect(payload.blocks[1].text?.text).toContain(
      '*accepted_values:currency* (accepted_values, failed)',
    );
    expect(payload.blocks[2].elements?.[0].text).toContain(`run ${result.runId}`);
    expect(payload.blocks[2].elements?.[0].text).toContain(
      '<https://dq.example/quality|data docs>',
    );
  });

  it('keeps the result when the webhook cannot be reached', async () => {
    const logger = new RecordingLogger();
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    closed.close();
    await once(closed, 'close');
    const result = await checkpoint('orders_bad', new QualityAlerts({ logger, webhookUrl: url }), {
      checkpoint: 'realtime-hourly',
    });
    expect(result.passed).toBe(false);
    expect(logger.lines.map((l) => l.fields.event)).toEqual([
      'dq.checkpoint_failed',
      'dq.webhook_failed',
    ]);
  });

  it('publishes only what passed the audit (write-audit-publish)', async () => {
    const published: string[] = [];
    const gate = (table: string) =>
      auditThenPublish({
        client,
        suite,
        table,
        checkpoint: 'wap-test',
        now: () => NOW,
        publish: async (checkpoint) => {
          published.push(table);
          return checkpoint.runId;
        },
      });
    const blocked = await gate('orders_bad');
    expect(blocked).toMatchObject({ published: false, checkpoint: { passed: false } });
    const through = await gate('orders_good');
    expect(through).toMatchObject({ published: true, value: null, checkpoint: { passed: true } });
    expect(published).toEqual(['orders_good']);
  });

  it('renders the stored results as data docs, also through the CLI', async () => {
    const model = await loadDataDocs(store, { suites: [suite], now: () => NOW });
    expect(model.latest.map((r) => [r.checkpoint, r.table])).toEqual([
      ['publish:orders', 'orders_bad'],
      ['realtime-hourly', 'orders_bad'],
    ]);
    expect(model.history).toHaveLength(3);

    const suitesDir = join(dir.path, 'suites');
    mkdirSync(suitesDir);
    writeFileSync(join(suitesDir, 'orders.yaml'), ORDERS_SUITE_YAML);
    const out = join(dir.path, 'report', 'quality.html');
    const stdout: string[] = [];
    const code = await runDataDocsCli(['--out', out, '--suites', suitesDir], {
      stdout: { write: (t: string) => stdout.push(t) },
      stderr: { write: (t: string) => stdout.push(t) },
      postgresUrl: () => database.url,
    });
    expect(stdout.join('')).toBe(`wrote ${out}: 2 latest run(s), 3 in history\n`);
    expect(code).toBe(0);

    const doc = parseHtml(readFileSync(out, 'utf8'));
    const summary = findAll(doc, byAttr('data-suite', 'orders')).filter((e) => e.tag === 'tr');
    expect(summary.map((e) => [e.attrs['data-checkpoint'], e.attrs['data-status']])).toEqual([
      ['publish:orders', 'failed'],
      ['realtime-hourly', 'failed'],
    ]);
    const [latest] = findAll(doc, byAttr('data-checkpoint', 'publish:orders')).filter(
      (e) => e.tag === 'table',
    );
    const results = findAll(latest, byAttr('data-expectation'));
    expect(results).toHaveLength(12);
    const currency = results.find(
      (r) => r.attrs['data-expectation'] === 'accepted_values:currency',
    );
    expect(currency?.attrs['data-status']).toBe('failed');
    const sampleCells = findAll(currency ?? parseHtml(''), byAttr('class', 'samples')).flatMap(
      (t) => findAll(t, byTag('td')),
    );
    expect(sampleCells.map((c) => c.text)).toContain('GBP');
    const history = findAll(doc, byAttr('class', 'history')).flatMap((t) =>
      findAll(t, byAttr('data-run')),
    );
    expect(history).toHaveLength(3);
    const expectations = findAll(doc, byAttr('class', 'expectations')).flatMap((t) =>
      findAll(t, byTag('tr')),
    );
    expect(expectations).toHaveLength(13); // header + 12
  });

  it('serves the report at GET /quality from a Nest module', async () => {
    const app = await NestFactory.create(QualityModule.register({ store, suites: [suite] }), {
      logger: false,
    });
    try {
      await app.listen(0, '127.0.0.1');
      const response = await fetch(`${await app.getUrl()}/quality`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'",
      );
      const doc = parseHtml(await response.text());
      const rows = findAll(doc, byAttr('data-suite', 'orders')).filter((e) => e.tag === 'tr');
      expect(rows.map((e) => e.attrs['data-status'])).toEqual(['failed', 'failed']);
    } finally {
      await app.close();
    }
  });

  it('refuses bad arguments and a missing database setting', async () => {
    const err: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => err.push(t) } };
    expect(
      await runDataDocsCli(['--history', 'lots'], { ...io, postgresUrl: () => database.url }),
    ).toBe(2);
    expect(await runDataDocsCli([], { ...io, postgresUrl: () => undefined, cwd: dir.path })).toBe(
      1,
    );
    expect(err.join('')).toContain('TRIBUTARY_POSTGRES_URL is not set');
  });
});
