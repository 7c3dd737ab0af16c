import { ConfigError } from './errors';

describe(ConfigError.name, () => {
  describe('constructor', () => {
    it('puts a count first, then one problem per line', () => {
      const error = new ConfigError(['A is invalid', 'B is required']);
      expect(error.name).toBe('ConfigError');
      expect(error.problems).toEqual(['A is invalid', 'B is required']);
      expect(error.message).toBe(
        'Invalid configuration (2 problems):\nA is invalid\nB is required',
      );
    });

    it('adds the warnings after the problems, since a typo often explains a missing key', () => {
      expect(new ConfigError(['A is required'], ['A_ is not a known setting']).message).toBe(
        'Invalid configuration (1 problem):\nA is required\nWarnings:\nA_ is not a known setting',
      );
    });

    it('says "1 problem" for one', () => {
      expect(new ConfigError(['A is invalid']).message).toBe(
        'Invalid configuration (1 problem):\nA is invalid',
      );
    });
  });
});
