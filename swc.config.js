// How tests compile TypeScript: SWC per file, fast, keeping the decorator metadata NestJS DI relies
// on. Shared by jest (jest.preset.js) and by specs that run a .ts file in a child Node process.
module.exports = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
