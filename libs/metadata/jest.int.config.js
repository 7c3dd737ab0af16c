module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'metadata:int',
  globals: { tributaryServices: ['postgres'] },
};
