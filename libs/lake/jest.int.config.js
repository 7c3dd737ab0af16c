module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'lake:int',
  globals: { tributaryServices: ['postgres', 'kafka'] },
};
