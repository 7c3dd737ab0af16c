import { parseReplayArgs } from './replay-args';

describe(parseReplayArgs.name, () => {
  it('reads the three kinds of target and the options', () => {
    expect(parseReplayArgs(['--to-earliest', '--rebuild'])).toEqual({
      target: { kind: 'earliest' },
      rebuild: true,
      group: undefined,
    });
    expect(parseReplayArgs(['--to-datetime', '2026-11-26T10:00:00+01:00', '--group', 'g'])).toEqual(
      {
        target: { kind: 'timestamp', at: Date.parse('2026-11-26T09:00:00Z') },
        rebuild: false,
        group: 'g',
      },
    );
    expect(parseReplayArgs(['--to-offsets', '0=12, 3=0'])).toMatchObject({
      target: {
        kind: 'offsets',
        offsets: [
          { partition: 0, offset: '12' },
          { partition: 3, offset: '0' },
        ],
      },
    });
    expect(parseReplayArgs(['--help'])).toEqual({ help: true });
  });

  it('says what is wrong with a command line', () => {
    expect(parseReplayArgs([])).toMatch(/exactly one of/);
    expect(parseReplayArgs(['--to-earliest', '--to-offsets', '0=1'])).toMatch(/exactly one of/);
    expect(parseReplayArgs(['--to-datetime', '2026-11-26 10:00'])).toMatch(/not an ISO-8601 time/);
    expect(parseReplayArgs(['--to-datetime', '2026-11-26T10:00:00'])).toMatch(/with a zone/);
    expect(parseReplayArgs(['--to-offsets', '0=1,x'])).toMatch(/"x" is not <partition>=<offset>/);
    expect(parseReplayArgs(['--to-offsets', '0=1,0=2'])).toMatch(/twice/);
    expect(parseReplayArgs(['--to-earliest', '--bogus'])).toMatch(/bogus/);
  });
});
