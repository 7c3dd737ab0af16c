module.exports = { ...require('../../jest.preset'), displayName: 'jobs' };
