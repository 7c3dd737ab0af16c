module.exports = { ...require('../../jest.preset'), displayName: 'speed-layer' };
