import { backoffDelay, isConnectionError } from './retry';

const retry = { attempts: 5, backoffMs: 1_000, maxBackoffMs: 5_000 };

describe(backoffDelay.name, () => {
  it('doubles per attempt, between half and all of the step, and stops at the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, retry, () => 0))).toEqual([
      500, 1_000, 2_000, 2_500,
    ]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, retry, () => 1))).toEqual([
      1_000, 2_000, 4_000, 5_000,
    ]);
  });
});

describe(isConnectionError.name, () => {
  it('retries socket failures and Postgres connection classes', () => {
    expect(isConnectionError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isConnectionError(Object.assign(new Error('bye'), { code: '57P01' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isConnectionError(
        new AggregateError([Object.assign(new Error(''), { code: 'ECONNREFUSED' })]),
      ),
    ).toBe(true);
  });

  it('does not retry what another attempt cannot fix', () => {
    expect(isConnectionError(Object.assign(new Error('no table'), { code: '42P01' }))).toBe(false);
    expect(isConnectionError(new Error('schema mismatch'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});
