module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'ingest-api:int',
  globals: { tributaryServices: ['kafka', 'postgres', 'redis'] },
};
