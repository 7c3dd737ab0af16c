module.exports = { ...require('../../jest.preset'), displayName: 'connections' };
