#!/usr/bin/env node
// `npm run demo`: streams demo traffic into a running pipeline (`npm start`), waits until the
// serving API counts it, runs the batch views and prints what the serving API answers.
import { parseArgs } from 'node:util';
import { dataFolder } from './data-folder';
import { readCredentials } from './demo-credentials';
import { demoTraffic } from './demo-traffic';
import { readPipelineFile } from './pipeline-file';
import { ProgressLine } from './progress';

const DAY = 86_400_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '5000' },
      batch: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '4' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run demo [-- --events N --batch N --concurrency N]\n\nStreams demo events into the pipeline that `npm start` runs on this data folder (TRIBUTARY_DATA_DIR), then runs the batch views and prints the serving API's numbers.\n",
    );
    return 0;
  }
  const total = positive(values.events, '--events');
  const batchSize = positive(values.batch, '--batch');
  const concurrency = positive(values.concurrency, '--concurrency');
  const folder = dataFolder(process.env);
  const pipeline = readPipelineFile(folder);
  const credentials = readCredentials(folder.credentials);
  if (!pipeline || !credentials) {
    process.stderr.write(
      `demo: no pipeline running on ${folder.root}/ — start it first: npm start\n`,
    );
    return 1;
  }
  const ingest = pipeline.urls['ingest-api'];
  const serving = pipeline.urls['serving-api'];
  const batch = pipeline.urls['batch-layer'];
  const read = { authorization: `Bearer ${credentials.readToken}` };

  // What the views count already (earlier demo runs): the new events come on top.
  const range = { from: dayStart(Date.now() - 4 * DAY), to: dayStart(Date.now() + DAY) };
  const before = sum(
    await query(serving, read, 'events_by_type_source', ['type'], range),
    'events',
  );

  // 1. Traffic.
  process.stderr.write(
    `Sending ${total.toLocaleString('en-US')} demo events to ${ingest}/v1/events\n`,
  );
  const progress = new ProgressLine(process.stderr, total);
  const accepted = new Set<string>();
  let sent = 0;
  let rejected = 0;
  let repeats = 0;
  let invalid = 0;
  const startedAt = Date.now();
  const batches = demoTraffic({
    events: total,
    batchSize,
    sources: Object.keys(credentials.sourceKeys),
  });
  const worker = async () => {
    for (let next = batches.next(); !next.done; next = batches.next()) {
      const { source, events } = next.value;
      const answer = await post(`${ingest}/v1/events`, events, {
        authorization: `Bearer ${credentials.sourceKeys[source]}`,
      });
      const body = (await answer.json()) as {
        rejected?: number;
        results?: Array<{ status: string; event_id?: string }>;
        error?: string;
      };
      if (!body.results)
        throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(body)}`);
      for (const r of body.results)
        if (r.status === 'accepted' && r.event_id) accepted.add(r.event_id);
      rejected += body.rejected ?? 0;
      repeats += next.value.repeats;
      invalid += next.value.invalid;
      sent += events.length - next.value.repeats;
      const rate = Math.round(sent / Math.max((Date.now() - startedAt) / 1000, 0.001));
      progress.update(
        sent,
        `events  accepted ${accepted.size}  rejected ${rejected}  repeated ${repeats}  ${rate} ev/s`,
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  progress.update(
    sent,
    `events  accepted ${accepted.size}  rejected ${rejected}  repeated ${repeats}`,
    true,
  );

  // 2. Until the merged view counts every distinct accepted event.
  const expected = before + accepted.size;
  const counted = new ProgressLine(process.stderr, expected);
  let merged = 0;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    merged = sum(await query(serving, read, 'events_by_type_source', ['type'], range), 'events');
    counted.update(
      merged,
      'events visible in the serving API (real time)',
      merged >= accepted.size,
    );
    if (merged >= accepted.size) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  // 3. A batch run of every view, then the numbers again (batch at T_b + real time after it).
  // The lake writer commits every few seconds and a run's cut stays a little behind: retry
  // until a run publishes (it says why when there is nothing to do yet).
  process.stderr.write('Running the batch views (waiting for the lake writer to commit)…\n');
  const results = new Map<string, BatchRunAnswer>();
  let pending = ['all'];
  for (const deadline = Date.now() + 120_000; pending.length > 0;) {
    for (const view of pending) {
      const answer = (await (await post(`${batch}/v1/batch/runs`, { view }, read)).json()) as {
        runs?: BatchRunAnswer[];
        error?: string;
      };
      if (!answer.runs) throw new Error(`batch run refused: ${answer.error}`);
      for (const run of answer.runs) results.set(run.view, run);
    }
    pending = [...results.values()].filter((r) => r.status !== 'published').map((r) => r.view);
    if (Date.now() > deadline) break;
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
  const runs = [...results.values()];
  const byType = await query(serving, read, 'events_by_type_source', ['type'], range);
  const revenue = await query(serving, read, 'revenue_by_currency', ['currency'], range);
  const catalog = (await (await fetch(`${serving}/v1/views`, { headers: read })).json()) as {
    views: Array<{
      name: string;
      batch: { cut: string } | null;
      realtime: { newest_ingested_bucket: string | null };
    }>;
  };

  const out = process.stdout;
  out.write('\nBatch runs\n');
  table(
    out,
    ['view', 'status', 'cut (T_b)'],
    runs.map((r) => [r.view, r.status, r.cut ?? r.reason ?? '-']),
  );
  out.write('\nEvents by type (merged: batch view at T_b + real time after it)\n');
  table(out, ['type', 'events'], totals(byType, 'type', 'events'));
  out.write('\nRevenue by currency\n');
  table(out, ['currency', 'revenue'], totals(revenue, 'currency', 'revenue'));
  out.write('\nViews\n');
  table(
    out,
    ['view', 'batch watermark', 'newest real-time bucket'],
    catalog.views.map((v) => [
      v.name,
      v.batch?.cut ?? 'none yet',
      v.realtime.newest_ingested_bucket ?? '-',
    ]),
  );
  const final = sum(byType, 'events');
  const earlier = before > 0 ? ` plus ${before} from earlier runs` : '';
  out.write(
    `\nSent ${sent} events (+${repeats} repeats): ${accepted.size} distinct accepted, ${rejected} rejected to the DLQ (${invalid} made invalid on purpose).\n` +
      `The serving API counts ${final} events: ${final === expected ? `every accepted event exactly once${earlier}.` : `expected ${expected}${earlier}.`}\n`,
  );
  return final === expected ? 0 : 1;
}

type Row = Record<string, unknown>;

interface BatchRunAnswer {
  view: string;
  status: string;
  cut?: string;
  reason?: string;
}

async function query(
  serving: string,
  headers: Record<string, string>,
  view: string,
  dimensions: string[],
  range: { from: string; to: string },
): Promise<Row[]> {
  const params = new URLSearchParams({
    view,
    grain: 'day',
    dimensions: dimensions.join(','),
    ...range,
    limit: '10000',
  });
  const answer = await fetch(`${serving}/v1/query?${params}`, { headers });
  const body = (await answer.json()) as { rows?: Row[]; error?: string };
  if (!body.rows) throw new Error(`query of ${view} answered ${answer.status}: ${body.error}`);
  return body.rows;
}

function post(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function sum(rows: Row[], measure: string): number {
  return rows.reduce((total, row) => total + Number(row[measure] ?? 0), 0);
}

function totals(rows: Row[], dimension: string, measure: string): string[][] {
  const byKey = new Map<string, number>();
  for (const row of rows)
    byKey.set(
      String(row[dimension]),
      (byKey.get(String(row[dimension])) ?? 0) + Number(row[measure]),
    );
  return [...byKey]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, String(Math.round(v * 100) / 100)]);
}

function table(out: NodeJS.WritableStream, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`;
  out.write(line(header));
  out.write(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) out.write(line(row));
}

function dayStart(ms: number): string {
  return new Date(Math.floor(ms / DAY) * DAY).toISOString();
}

function positive(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag} must be a positive integer, got ${raw}`);
  return n;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`\ndemo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
