module.exports = { ...require('../../jest.preset'), displayName: 'connectors' };
