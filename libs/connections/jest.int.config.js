module.exports = { ...require('../../jest.int.preset'), displayName: 'connections:int' };
