module.exports = { ...require('../../jest.preset'), displayName: 'views' };
