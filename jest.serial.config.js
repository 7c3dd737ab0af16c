// Specs that disturb the shared services (they stop or kill Kafka): `*.serial-spec.ts` anywhere,
// run one file at a time after every other test (scripts/test-all.sh). Never in parallel runs.
const base = require('./jest.int.preset');

module.exports = {
  ...base,
  displayName: 'serial',
  rootDir: __dirname,
  testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.serial-spec.ts'],
  maxWorkers: 1,
  testTimeout: 180_000,
  reporters: ['default', '<rootDir>/libs/testing/jest/summary-reporter.js'],
};
