module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'pipeline:int',
  // The pipeline brings its own log, Postgres (PGlite), chDB and scheduler: no outside services.
  globals: { tributaryServices: [] },
};
