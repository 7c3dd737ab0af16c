module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'serving-api:int',
  globals: { tributaryServices: ['postgres'] },
};
