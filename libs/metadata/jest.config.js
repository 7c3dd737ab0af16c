module.exports = { ...require('../../jest.preset'), displayName: 'metadata' };
