module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'telemetry:int',
  globals: { tributaryServices: ['kafka'] },
};
