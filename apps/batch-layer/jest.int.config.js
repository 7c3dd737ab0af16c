module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'batch-layer:int',
  globals: { tributaryServices: ['kafka', 'postgres'] },
};
