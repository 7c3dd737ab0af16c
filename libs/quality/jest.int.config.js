module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'quality:int',
  globals: { tributaryServices: ['postgres'] },
};
