module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'testing:serial',
  // Specs that disturb the shared services (they kill Kafka): run alone, after everything else.
  testMatch: ['<rootDir>/src/**/*.serial-spec.ts'],
  reporters: ['default', '<rootDir>/jest/summary-reporter.js'],
};
