import { currentCorrelationId, runWithCorrelation } from './correlation-context';

describe(runWithCorrelation.name, () => {
  it('makes the id current inside fn only, and returns what fn returns', () => {
    expect(runWithCorrelation('c-1', () => currentCorrelationId())).toBe('c-1');
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keeps the id across awaits and timers', async () => {
    const seen = await runWithCorrelation('c-async', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return currentCorrelationId();
    });
    expect(seen).toBe('c-async');
  });

  it('lets an inner run shadow the outer id and restores it afterwards', () => {
    runWithCorrelation('outer', () => {
      expect(runWithCorrelation('inner', () => currentCorrelationId())).toBe('inner');
      expect(currentCorrelationId()).toBe('outer');
    });
  });

  it('keeps concurrent runs apart', async () => {
    const run = (id: string, delayMs: number) =>
      runWithCorrelation(id, async () => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return currentCorrelationId();
      });
    await expect(Promise.all([run('slow', 20), run('fast', 1)])).resolves.toEqual(['slow', 'fast']);
  });
});
