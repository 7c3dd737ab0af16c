import type { ExpectationResult } from '../run/results';
import { slackPayload, type StoredRunLike } from './slack-payload';

const failure = (i: number): ExpectationResult => ({
  name: `check <${i}>`,
  type: 'not_null',
  severity: i % 2 === 0 ? 'error' : 'warn',
  mostly: 1,
  status: 'failed',
  observed: 0.5,
  evaluatedRows: 2,
  failingRows: 1,
  samples: [],
  details: {},
  message: 'x'.repeat(1000),
  durationMs: 1,
});

const run = (results: ExpectationResult[]): StoredRunLike => ({
  id: 'run-1',
  suite: 'orders',
  checkpoint: 'publish:orders',
  snapshotId: null,
  table: 'db.orders',
  passed: false,
  successRate: 0,
  startedAt: new Date(0),
  finishedAt: new Date(0),
  results,
});

describe(slackPayload.name, () => {
  it('lists at most ten failures, clipped and escaped, and stays under Slack limits', () => {
    const payload = slackPayload(run(Array.from({ length: 12 }, (_, i) => failure(i))));
    const list = payload.blocks[1].text?.text ?? '';
    expect(list.split('\n')).toHaveLength(11);
    expect(list).toContain('*check &lt;0&gt;* (not_null, failed)');
    expect(list.split('\n')[10]).toBe('… and 2 more');
    expect(list.length).toBeLessThan(3000);
    expect(payload.text).toBe(
      'Data quality: suite orders failed at checkpoint publish:orders (12 expectation(s))',
    );
    expect(payload.blocks[2].elements?.[0].text).toBe('run run-1 · success rate 0%');
  });

  it('never sends an empty section', () => {
    expect(slackPayload(run([])).blocks[1].text?.text).toBe('No failing expectations.');
  });
});
