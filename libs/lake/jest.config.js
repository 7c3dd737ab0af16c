module.exports = { ...require('../../jest.preset'), displayName: 'lake' };
