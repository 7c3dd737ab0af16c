import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost parameters. The defaults (N = 2^14, r = 8, p = 1, ~16 MiB, ~50 ms) follow the
 * scrypt paper's interactive-login setting. Every hash records its own parameters, so raising them
 * later affects new keys only and old keys still verify.
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logCost: number;
  blockSize: number;
  parallelization: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = {
  logCost: 14,
  blockSize: 8,
  parallelization: 1,
};

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** PHC string format: `$scrypt$ln=14,r=8,p=1$<salt>$<hash>`, base64 without padding. */
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
/** Parameters beyond these would make one verification a denial of service: refuse, not run. */
const LIMITS: ScryptParams = { logCost: 20, blockSize: 32, parallelization: 16 };

/** Hashes a secret with a fresh random salt; the result carries salt and parameters. */
export async function hashSecret(
  secret: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, salt, HASH_BYTES, params);
  const { logCost, blockSize, parallelization } = params;
  return `$scrypt$ln=${logCost},r=${blockSize},p=${parallelization}$${b64(salt)}$${b64(hash)}`;
}

/** Whether `secret` produced `stored`, compared in constant time. A malformed hash never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored);
  if (!match) return false;
  const params = {
    logCost: Number(match[1]),
    blockSize: Number(match[2]),
    parallelization: Number(match[3]),
  };
  if (!withinLimits(params)) return false;
  const expected = Buffer.from(match[5], 'base64');
  // A short (even empty) hash would compare equal too easily; ours are 32 bytes.
  if (expected.length < 16) return false;
  const actual = await derive(secret, Buffer.from(match[4], 'base64'), expected.length, params);
  return timingSafeEqual(actual, expected);
}

function withinLimits(params: ScryptParams): boolean {
  return (Object.keys(LIMITS) as Array<keyof ScryptParams>).every(
    (name) => params[name] >= 1 && params[name] <= LIMITS[name],
  );
}

/** The async form runs on libuv's pool, so ~50 ms of hashing does not stall the event loop. */
function derive(
  secret: string,
  salt: Buffer,
  length: number,
  params: ScryptParams,
): Promise<Buffer> {
  const N = 2 ** params.logCost;
  const r = params.blockSize;
  const p = params.parallelization;
  const maxmem = 256 * N * r + 1024 * 1024; // scrypt needs ~128·N·r bytes; leave headroom
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, length, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
