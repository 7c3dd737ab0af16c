module.exports = { ...require('../../jest.preset'), displayName: 'serving-api' };
