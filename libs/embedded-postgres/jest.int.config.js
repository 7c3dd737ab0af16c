module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'embedded-postgres:int',
  globals: { tributaryServices: [] },
};
