module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'warehouse:int',
  globals: { tributaryServices: [] },
};
