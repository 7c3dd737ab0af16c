import type { ExpectationResult, JsonValue } from '../run/results';
import type { RunSummary, StoredRun } from '../store/quality-store';
import type { Suite } from '../suite/suite';
import { type Html, html } from './html';

/** Everything the report shows. */
export interface DataDocsModel {
  readonly title?: string;
  readonly generatedAt: Date;
  /** Suite definitions (e.g. from `loadSuites`); suites that only have stored runs are shown too. */
  readonly suites: readonly Suite[];
  /** The newest run of each (suite, checkpoint), with results (`QualityStore.latestRuns`). */
  readonly latest: readonly StoredRun[];
  /** Recent runs, newest first (`QualityStore.history`). */
  readonly history: readonly RunSummary[];
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2430}
table{border-collapse:collapse;margin:.5rem 0 1.25rem}
th,td{border:1px solid #d5d9e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}
.passed{color:#0a7a32}.failed,.error{color:#b42318;font-weight:600}.warn,.warned{color:#a15c07}
pre{margin:0;white-space:pre-wrap;font-size:12px}
section{border-top:2px solid #d5d9e0;margin-top:1.5rem}
`;

/**
 * The data docs: a static, self-contained HTML page with every suite, its expectations, the latest
 * results per checkpoint with failing samples, and the run history. Every value from a suite, a
 * table or a sample is escaped, so data cannot inject markup into the page.
 */
export function renderDataDocs(model: DataDocsModel): string {
  const title = model.title ?? 'Tributary data quality';
  const names = [
    ...new Set([...model.suites.map((s) => s.name), ...model.latest.map((r) => r.suite)]),
  ].sort();
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <h1>${title}</h1>
        <p>
          Generated
          <time datetime="${model.generatedAt.toISOString()}"
            >${model.generatedAt.toISOString()}</time
          >.
        </p>
        <h2>Suites</h2>
        <table id="summary">
          <thead>
            <tr>
              <th>Suite</th>
              <th>Checkpoint</th>
              <th>Table</th>
              <th>Status</th>
              <th>Success rate</th>
              <th>Run at</th>
            </tr>
          </thead>
          <tbody>
            ${names.flatMap((name) => summaryRows(name, model))}
          </tbody>
        </table>
        ${names.map((name) =>
          suiteSection(
            name,
            model.suites.find((s) => s.name === name),
            model.latest.filter((r) => r.suite === name),
            model.history.filter((r) => r.suite === name),
          ),
        )}
      </body>
    </html> `;
  return page.value;
}

function summaryRows(name: string, model: DataDocsModel): Html[] {
  const runs = model.latest.filter((r) => r.suite === name);
  if (runs.length === 0) {
    return [
      html`<tr data-suite="${name}">
        <td><a href="#suite-${name}">${name}</a></td>
        <td colspan="5">never run</td>
      </tr> `,
    ];
  }
  return runs.map(
    (run) =>
      html`<tr
        data-suite="${name}"
        data-checkpoint="${run.checkpoint}"
        data-status="${runStatus(run)}"
      >
        <td><a href="#suite-${name}">${name}</a></td>
        <td>${run.checkpoint}</td>
        <td>${run.table}</td>
        <td class="${runStatus(run)}">${runStatus(run)}</td>
        <td>${percent(run.successRate)}</td>
        <td>${run.startedAt.toISOString()}</td>
      </tr> `,
  );
}

function suiteSection(
  name: string,
  suite: Suite | undefined,
  latest: readonly StoredRun[],
  history: readonly RunSummary[],
): Html {
  return html`<section id="suite-${name}" data-suite="${name}">
    <h2>Suite ${name}</h2>
    ${suite?.description === undefined ? '' : html`<p>${suite.description}</p>`}
    ${suite?.source === undefined ? '' : html`<p>Declared in <code>${suite.source}</code>.</p>`}
    ${
      suite === undefined
        ? ''
        : html`<h3>Expectations</h3>
            <table class="expectations">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Type</th>
                  <th>Severity</th>
                  <th>Mostly</th>
                  <th>Description</th>
                </tr>
              </thead>
              <tbody>
                ${suite.expectations.map(
                  (e) =>
                    html`<tr>
                      <td>${e.name}</td>
                      <td>${e.type}</td>
                      <td class="${e.severity}">${e.severity}</td>
                      <td>${e.mostly}</td>
                      <td>${e.description ?? ''}</td>
                    </tr> `,
                )}
              </tbody>
            </table>`
    }
    ${latest.map((run) => latestRun(run))}
    <h3>History</h3>
    <table class="history">
      <thead>
        <tr>
          <th>Run at</th>
          <th>Checkpoint</th>
          <th>Table</th>
          <th>Snapshot</th>
          <th>Status</th>
          <th>Success rate</th>
          <th>Run id</th>
        </tr>
      </thead>
      <tbody>
        ${history.map(
          (run) =>
            html`<tr data-run="${run.id}">
              <td>${run.startedAt.toISOString()}</td>
              <td>${run.checkpoint}</td>
              <td>${run.table}</td>
              <td>${run.snapshotId ?? ''}</td>
              <td class="${runStatus(run)}">${runStatus(run)}</td>
              <td>${percent(run.successRate)}</td>
              <td><code>${run.id}</code></td>
            </tr> `,
        )}
      </tbody>
    </table>
  </section> `;
}

function latestRun(run: StoredRun): Html {
  return html`<h3>Latest run at checkpoint ${run.checkpoint}</h3>
    <p>
      Table
      <code>${run.table}</code
      >${run.snapshotId === null ? '' : html`, snapshot <code>${run.snapshotId}</code>`}, run
      <code>${run.id}</code> at ${run.startedAt.toISOString()}:
      <strong class="${runStatus(run)}">${runStatus(run)}</strong>.
    </p>
    <table class="results" data-run="${run.id}" data-checkpoint="${run.checkpoint}">
      <thead>
        <tr>
          <th>Expectation</th>
          <th>Type</th>
          <th>Severity</th>
          <th>Status</th>
          <th>Observed</th>
          <th>Failing rows</th>
          <th>Message</th>
          <th>Failing samples</th>
        </tr>
      </thead>
      <tbody>
        ${run.results.map((r) => resultRow(r))}
      </tbody>
    </table> `;
}

function resultRow(r: ExpectationResult): Html {
  return html`<tr data-expectation="${r.name}" data-status="${r.status}">
    <td>${r.name}</td>
    <td>${r.type}</td>
    <td class="${r.severity}">${r.severity}</td>
    <td class="${r.status}">${r.status}</td>
    <td><pre>${json(r.observed)}</pre></td>
    <td>${r.failingRows === null ? '' : `${r.failingRows} of ${r.evaluatedRows ?? '?'}`}</td>
    <td>${r.message}</td>
    <td>${samples(r.samples)}</td>
  </tr> `;
}

function samples(rows: readonly Record<string, JsonValue>[]): Html | string {
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return html`<table class="samples">
    <thead>
      <tr>
        ${columns.map((c) => html`<th>${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            ${columns.map((c) => html`<td>${json(row[c] ?? null)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function runStatus(run: { passed: boolean; successRate: number }): string {
  return run.passed ? (run.successRate === 1 ? 'passed' : 'warned') : 'failed';
}

function json(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}
