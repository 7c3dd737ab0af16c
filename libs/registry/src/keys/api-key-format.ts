import { randomBytes } from 'node:crypto';
import { API_KEY_ID_PATTERN } from '@tributary/metadata';

/**
 * API keys look like `trb_<keyId>_<secret>`: a fixed prefix so secret scanners and people can
 * recognise one, a public key id (12 characters of base32, 60 bits) that finds the row, and a
 * secret of 32 random bytes in base64url that only the holder knows.
 */
export const API_KEY_PREFIX = 'trb';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const SECRET_BYTES = 32;
/** base64url may itself contain `_`, so the key id has a fixed length and the secret is the rest. */
const API_KEY = /^trb_([a-z2-7]{12})_([A-Za-z0-9_-]{43,128})$/;

export interface ApiKeyParts {
  keyId: string;
  secret: string;
}

export function generateKeyId(): string {
  // 256 is a multiple of 32, so masking each byte keeps every letter equally likely.
  return Array.from(randomBytes(12), (byte) => BASE32[byte & 31]).join('');
}

export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function formatApiKey(parts: ApiKeyParts): string {
  return `${API_KEY_PREFIX}_${parts.keyId}_${parts.secret}`;
}

/** The parts of a well-formed key, or undefined: a malformed key never reaches the database. */
export function parseApiKey(presented: string): ApiKeyParts | undefined {
  const match = API_KEY.exec(presented);
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}

export function isKeyId(keyId: string): boolean {
  return API_KEY_ID_PATTERN.test(keyId);
}
