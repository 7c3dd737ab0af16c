module.exports = { ...require('../../jest.preset'), displayName: 'batch-layer' };
