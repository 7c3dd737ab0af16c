import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { BoundedCache } from '../bounded-cache';
import { generateKeyId, generateSecret } from './api-key-format';
import { DEFAULT_SCRYPT_PARAMS, hashSecret, type ScryptParams, verifySecret } from './secret-hash';

/** Read tokens look like `trr_<tokenId>_<secret>` — told apart from ingest keys (`trb_`) at a glance. */
export const READ_TOKEN_PREFIX = 'trr';
const READ_TOKEN = /^trr_([a-z2-7]{12})_([A-Za-z0-9_-]{43,128})$/;

export interface CreatedReadToken {
  /** The only copy of the plaintext: shown once, never stored. */
  token: string;
  tokenId: string;
  label: string | null;
  createdAt: Date;
}

export interface ReadTokenSummary {
  tokenId: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/**
 * Read tokens of the serving API (table `read_tokens`), separate from ingest keys: scrypt-hashed,
 * revocable; a verified (or refused) token is remembered for `cacheTtlMs` (30 s — also how late a
 * revoke may bite) so queries do not pay a scrypt each.
 */
export class ReadTokens {
  private readonly cache: BoundedCache<Promise<string | undefined>>;

  constructor(
    private readonly db: DataSource,
    private readonly options: { cacheTtlMs?: number; scrypt?: ScryptParams } = {},
  ) {
    this.cache = new BoundedCache({ ttlMs: options.cacheTtlMs ?? 30_000, maxEntries: 10_000 });
  }

  async create(label?: string): Promise<CreatedReadToken> {
    const tokenId = generateKeyId();
    const secret = generateSecret();
    const hash = await hashSecret(secret, this.options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
    const [row] = (await this.db.query(
      `INSERT INTO read_tokens (token_id, hash, label) VALUES ($1, $2, $3) RETURNING created_at`,
      [tokenId, hash, label ?? null],
    )) as Array<{ created_at: Date }>;
    return {
      token: `${READ_TOKEN_PREFIX}_${tokenId}_${secret}`,
      tokenId,
      label: label ?? null,
      createdAt: row?.created_at ?? new Date(),
    };
  }

  async list(): Promise<ReadTokenSummary[]> {
    const rows = (await this.db.query(
      `SELECT token_id, label, created_at, revoked_at, last_used_at FROM read_tokens ORDER BY created_at`,
    )) as Array<{
      token_id: string;
      label: string | null;
      created_at: Date;
      revoked_at: Date | null;
      last_used_at: Date | null;
    }>;
    return rows.map((r) => ({
      tokenId: r.token_id,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
    }));
  }

  /** True when a token was revoked now; false when there is no such live token. */
  async revoke(tokenId: string): Promise<boolean> {
    // A CTE so the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
    const rows = (await this.db.query(
      `WITH revoked AS (
         UPDATE read_tokens SET revoked_at = now() WHERE token_id = $1 AND revoked_at IS NULL
         RETURNING token_id)
       SELECT token_id FROM revoked`,
      [tokenId],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * The token id behind `presented`, or undefined for a malformed, unknown, revoked or wrong
   * token. Throws only when the database cannot answer.
   */
  async authenticate(presented: string): Promise<string | undefined> {
    const match = READ_TOKEN.exec(presented);
    if (!match) return undefined;
    const digest = createHash('sha256').update(presented).digest('hex');
    let pending = this.cache.get(digest);
    if (!pending) {
      pending = this.verify(match[1] as string, match[2] as string);
      this.cache.set(digest, pending);
    }
    try {
      return await pending;
    } catch (error) {
      this.cache.deleteIf(digest, pending);
      throw error;
    }
  }

  private async verify(tokenId: string, secret: string): Promise<string | undefined> {
    const [row] = (await this.db.query(
      `SELECT hash FROM read_tokens WHERE token_id = $1 AND revoked_at IS NULL`,
      [tokenId],
    )) as Array<{ hash: string }>;
    if (!row || !(await verifySecret(secret, row.hash))) return undefined;
    await this.db.query(`UPDATE read_tokens SET last_used_at = now() WHERE token_id = $1`, [
      tokenId,
    ]);
    return tokenId;
  }
}
