module.exports = { ...require('../../jest.preset'), displayName: 'telemetry' };
