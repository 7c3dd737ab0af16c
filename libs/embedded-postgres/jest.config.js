module.exports = { ...require('../../jest.preset'), displayName: 'embedded-postgres' };
