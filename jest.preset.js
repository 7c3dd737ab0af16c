// Shared jest settings for every project. Unit specs (*.spec.ts) run without outside services;
// integration specs (*.int-spec.ts) use jest.int.preset.js, which brings the local services up.
const path = require('node:path');

/** SWC compiles TypeScript per file: fast, and keeps the decorator metadata NestJS DI relies on. */
const swc = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Libraries are imported from source in tests, so a test never depends on a stale build.
  moduleNameMapper: { '^@tributary/(.*)$': path.join(__dirname, 'libs/$1/src/index.ts') },
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  clearMocks: true,
};
