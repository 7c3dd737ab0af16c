import type { StoredRun } from '../store/quality-store';
import { parseSuite } from '../suite/parse-suite';
import { byAttr, byTag, findAll, parseHtml } from '../testing/html-query';
import { escapeHtml } from './html';
import { renderDataDocs } from './render-data-docs';

const EVIL = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;

const suite = parseSuite(
  `suite: evil
description: ${JSON.stringify(EVIL)}
expectations:
  - type: accepted_values
    name: ${JSON.stringify(EVIL)}
    column: c
    values: [a]
`,
  'evil.yaml',
);

const run: StoredRun = {
  id: '00000000-0000-4000-8000-000000000001',
  suite: 'evil',
  checkpoint: 'publish:<b>',
  table: 'db.t',
  snapshotId: '42',
  passed: false,
  successRate: 0,
  startedAt: new Date('2026-03-01T00:00:00Z'),
  finishedAt: new Date('2026-03-01T00:00:01Z'),
  results: [
    {
      name: EVIL,
      type: 'accepted_values',
      severity: 'error',
      mostly: 1,
      status: 'failed',
      observed: 0.5,
      evaluatedRows: 2,
      failingRows: 1,
      samples: [{ c: EVIL, n: 1 }],
      details: {},
      message: `1 of 2 rows fail`,
      durationMs: 3,
    },
  ],
};

describe(renderDataDocs.name, () => {
  it('renders suites, latest results, samples and history, with every value escaped', () => {
    const page = renderDataDocs({
      generatedAt: new Date('2026-03-01T01:00:00Z'),
      suites: [suite],
      latest: [run],
      history: [{ ...run, expectations: 1, failed: 1 }],
    });
    const doc = parseHtml(page);
    // Nothing from the data became markup: the only script/img elements would be injected ones.
    expect(findAll(doc, (e) => e.tag === 'script' || e.tag === 'img' || e.tag === 'b')).toEqual([]);
    const summary = findAll(doc, byAttr('data-suite', 'evil')).filter((e) => e.tag === 'tr');
    expect(summary.map((e) => [e.attrs['data-checkpoint'], e.attrs['data-status']])).toEqual([
      ['publish:<b>', 'failed'],
    ]);
    const [result] = findAll(doc, byAttr('data-expectation'));
    expect(result.attrs).toMatchObject({ 'data-expectation': EVIL, 'data-status': 'failed' });
    const samples = findAll(result, byAttr('class', 'samples'));
    expect(findAll(samples[0], byTag('td')).map((td) => td.text)).toEqual([EVIL, '1']);
    const history = findAll(doc, byAttr('data-run', run.id)).filter((e) => e.tag === 'tr');
    expect(history).toHaveLength(1);
    expect(findAll(doc, byTag('p')).map((p) => p.text)).toContain(EVIL);
    expect(page).not.toContain('<script>');
  });

  it('lists a suite that never ran', () => {
    const doc = parseHtml(
      renderDataDocs({ generatedAt: new Date(), suites: [suite], latest: [], history: [] }),
    );
    const [row] = findAll(doc, byAttr('data-suite', 'evil')).filter((e) => e.tag === 'tr');
    expect(row.text).toContain('never run');
  });
});

describe(escapeHtml.name, () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
