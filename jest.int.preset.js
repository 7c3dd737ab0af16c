// Integration tests: real Postgres, Redis, Kafka and chDB. The global setup makes sure the local
// services run (scripts/services.sh up); tests find them with localServices() from @tributary/testing.
const path = require('node:path');
const base = require('./jest.preset');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: path.join(__dirname, 'libs/testing/src/jest/global-setup.ts'),
  testTimeout: 60_000,
  slowTestThreshold: 15,
};
