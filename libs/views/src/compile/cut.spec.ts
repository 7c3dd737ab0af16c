import { alignCut, CutAlignmentError, cutParams, isAlignedCut } from './cut';

describe(cutParams.name, () => {
  it('gives the cut as a UTC DateTime64(3) parameter', () => {
    expect(cutParams(new Date('2026-03-10T12:07:00Z'))).toEqual({ cut: '2026-03-10 12:07:00.000' });
  });

  it('refuses a cut inside an ingestion bucket, whose rest would be on neither side', () => {
    expect(() => cutParams(new Date('2026-03-10T12:07:00.001Z'))).toThrow(CutAlignmentError);
    expect(() => cutParams(new Date('2026-03-10T12:07:30Z'))).toThrow(
      'cut 2026-03-10T12:07:30.000Z is not on an ingestion-bucket boundary (whole minutes, UTC); use alignCut()',
    );
    expect(() => cutParams(new Date(Number.NaN))).toThrow(CutAlignmentError);
  });
});

describe(alignCut.name, () => {
  it('moves a time back to the start of its ingestion bucket', () => {
    expect(alignCut(new Date('2026-03-10T12:07:59.999Z'))).toEqual(
      new Date('2026-03-10T12:07:00Z'),
    );
    expect(isAlignedCut(alignCut(new Date('2026-03-10T12:07:31Z')))).toBe(true);
  });
});
