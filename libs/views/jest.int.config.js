module.exports = {
  ...require('../../jest.int.preset'),
  displayName: 'views:int',
  // chDB runs in-process: no outside service to bring up.
  globals: { tributaryServices: [] },
};
