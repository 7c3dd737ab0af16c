module.exports = { ...require('../../jest.preset'), displayName: 'quality' };
