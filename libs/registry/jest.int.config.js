module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'registry:int',
  globals: { tributaryServices: ['postgres'] },
};
