module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'messaging:int',
  globals: { tributaryServices: ['kafka'] },
};
