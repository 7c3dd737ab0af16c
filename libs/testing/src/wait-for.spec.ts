import { waitFor } from './wait-for';

describe(waitFor.name, () => {
  it('returns the first value the probe yields without throwing', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return calls;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
  });

  it("rethrows the probe's last error after the deadline", async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still missing');
        },
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow('still missing');
  });
});
