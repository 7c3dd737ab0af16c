module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'connectors:int',
  globals: { tributaryServices: ['postgres', 'kafka'] },
};
