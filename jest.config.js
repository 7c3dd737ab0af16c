// Every test in one jest run (what `npm run test:all` uses): unit and integration projects
// together, one summary. Per-project runs go through nx (`nx run-many -t test` / `-t integration`).
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const configs = ['apps', 'libs'].flatMap((root) =>
  readdirSync(join(__dirname, root))
    .sort()
    .flatMap((project) =>
      ['jest.config.js', 'jest.int.config.js'].map((f) => `${root}/${project}/${f}`),
    )
    .filter((config) => existsSync(join(__dirname, config))),
);

module.exports = {
  projects: configs.map((config) => `<rootDir>/${config}`),
  // Two workers on a two-core machine: integration tests mostly wait on the services.
  maxWorkers: 2,
  // Global options are ignored inside project configs, so the integration timeout is repeated here.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/libs/testing/jest/summary-reporter.js'],
};
