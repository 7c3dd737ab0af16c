import { RegistryError, RegistryErrorCode } from './registry-error';
import { registryErrors } from './registry-errors';

describe(RegistryError.name, () => {
  describe('constructor', () => {
    it('lists every reason under the summary and keeps them as an array', () => {
      const error = new RegistryError(RegistryErrorCode.INVALID_SCHEMA, 'Bad:', ['/a: x', '/b: y']);
      expect(error.message).toBe('Bad:\n  - /a: x\n  - /b: y');
      expect(error.reasons).toEqual(['/a: x', '/b: y']);
      expect(error.code).toBe('INVALID_SCHEMA');
      expect(error.name).toBe('RegistryError');
      expect(error).toBeInstanceOf(Error);
    });
  });
});

describe('registryErrors', () => {
  describe('incompatibleSchema', () => {
    it('names the type, the version it was compared with and how many reasons follow', () => {
      const error = registryErrors.incompatibleSchema('order.placed', 2, [
        '/required: r1',
        '/type: r2',
      ]);
      expect(error.code).toBe(RegistryErrorCode.INCOMPATIBLE_SCHEMA);
      expect(error.message).toBe(
        'Schema for order.placed is not backward compatible with version 2 (2 reasons):\n  - /required: r1\n  - /type: r2',
      );
    });
  });

  describe('invalidSchema', () => {
    it('counts problems in the singular when there is one', () => {
      expect(registryErrors.invalidSchema('a.b', ['/: must be object']).message).toBe(
        'Invalid JSON Schema for a.b (1 problem):\n  - /: must be object',
      );
    });
  });

  describe('invalidSourceName', () => {
    it('quotes the name and says what a valid one looks like', () => {
      const error = registryErrors.invalidSourceName('Bad Name');
      expect(error.code).toBe(RegistryErrorCode.INVALID_NAME);
      expect(error.message).toMatch(/^Invalid source name "Bad Name": expected 1 to 63 characters/);
    });
  });

  describe('invalidEventType', () => {
    it('gives the pattern in words and an example', () => {
      expect(registryErrors.invalidEventType('Order').message).toMatch(
        /^Invalid event type "Order": expected dot-separated segments .* at most 128 characters \(e\.g\. order\.placed\)$/,
      );
    });
  });

  describe('keyRevoked', () => {
    it('says when the key was revoked and what to do instead', () => {
      expect(
        registryErrors.keyRevoked('abcdefgh2345', new Date('2025-01-02T03:04:05Z')).message,
      ).toBe(
        'API key abcdefgh2345 was revoked at 2025-01-02T03:04:05.000Z; create a new key for its source instead of rotating it',
      );
    });
  });
});
