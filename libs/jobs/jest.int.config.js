module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'jobs:int',
  globals: { tributaryServices: ['redis'] },
};
