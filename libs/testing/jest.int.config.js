module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'testing:int',
  globals: { tributaryServices: ['postgres'] },
};
