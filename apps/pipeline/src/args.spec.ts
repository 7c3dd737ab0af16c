import { parsePipelineArgs } from './args';

describe(parsePipelineArgs.name, () => {
  it('runs without options by default', () => {
    expect(parsePipelineArgs([])).toEqual({ help: false, reset: false, yes: false });
  });

  it('reads --reset with --yes, and -h', () => {
    expect(parsePipelineArgs(['--reset', '--yes'])).toEqual({
      help: false,
      reset: true,
      yes: true,
    });
    expect(parsePipelineArgs(['-h']).help).toBe(true);
  });

  it('refuses an unknown option by name', () => {
    expect(() => parsePipelineArgs(['--rest'])).toThrow("Unknown option '--rest'");
  });
});
