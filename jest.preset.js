// Shared jest settings for every project. Unit specs (*.spec.ts) run without outside services;
// integration specs (*.int-spec.ts) use jest.int.preset.js, which brings the local services up.
const path = require('node:path');

const swc = require('./swc.config');

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Libraries are imported from source in tests, so a test never depends on a stale build.
  moduleNameMapper: { '^@tributary/(.*)$': path.join(__dirname, 'libs/$1/src/index.ts') },
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  clearMocks: true,
};
