module.exports = { ...require('../../jest.preset'), displayName: 'pipeline' };
