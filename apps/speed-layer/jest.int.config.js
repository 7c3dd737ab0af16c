module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'speed-layer:int',
  globals: { tributaryServices: ['kafka'] },
};
