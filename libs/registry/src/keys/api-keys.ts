import { createHash } from 'node:crypto';
import { ApiKeyEntity } from '@tributary/metadata';
import type { DataSource } from 'typeorm';
import { BoundedCache } from '../bounded-cache';
import { isUniqueViolation } from '../postgres-errors';
import { registryErrors } from '../registry-errors';
import { requireSource } from '../sources/sources';
import {
  type ApiKeyParts,
  formatApiKey,
  generateKeyId,
  generateSecret,
  isKeyId,
  parseApiKey,
} from './api-key-format';
import { DEFAULT_SCRYPT_PARAMS, hashSecret, type ScryptParams, verifySecret } from './secret-hash';

/** Who a valid key belongs to: `_source` on events comes from here, never from the request body. */
export interface AuthenticatedKey {
  sourceId: string;
  sourceName: string;
  keyId: string;
}

/** A new key. `key` is the only copy of the plaintext: it is not stored and cannot be shown again. */
export interface CreatedApiKey {
  key: string;
  keyId: string;
  sourceName: string;
  label: string | null;
  createdAt: Date;
}

/** What can be shown about a key later: everything but the secret. */
export interface ApiKeySummary {
  keyId: string;
  sourceName: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ApiKeysOptions {
  /** How long a verified key (or a refused one) is remembered: 30 s. Also how late a revoke may bite. */
  authCacheTtlMs?: number;
  /** Bound on remembered keys, since clients choose what they present: 10,000. */
  authCacheMaxEntries?: number;
  /** `last_used_at` is written at most this often per key and process: 60 s. */
  lastUsedIntervalMs?: number;
  scrypt?: ScryptParams;
  now?: () => number;
}

interface CachedAuthentication {
  keyId: string;
  result: Promise<AuthenticatedKey | undefined>;
}

/**
 * Per-source API keys (`trb_<keyId>_<secret>`), stored as scrypt hashes.
 *
 * scrypt costs ~50 ms of CPU by design and the ingest API authenticates every request, so an
 * outcome is cached for `authCacheTtlMs` under the SHA-256 of the presented key (never the key
 * itself). Consequence: a revoke takes effect at once in the process that revoked, and within the
 * TTL (30 s) everywhere else. Concurrent requests with the same key share one verification.
 *
 * Rotation creates a second key for the same source and leaves the old one working, so clients can
 * switch over without downtime; revoke the old key once nothing uses it (`lastUsedAt` tells).
 */
export class ApiKeys {
  private readonly cache: BoundedCache<CachedAuthentication>;
  private readonly lastTouched = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ApiKeysOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.cache = new BoundedCache({
      ttlMs: options.authCacheTtlMs ?? 30_000,
      maxEntries: options.authCacheMaxEntries ?? 10_000,
      now: this.now,
    });
  }

  async create(sourceName: string, label?: string): Promise<CreatedApiKey> {
    const source = await requireSource(this.dataSource.manager, sourceName);
    return this.insertKey(source.id, sourceName, label ?? null);
  }

  /**
   * The source behind `presented`, or undefined for a malformed, unknown, revoked or wrong key.
   * Throws only when the database cannot answer, so callers can tell "refused" from "unavailable".
   */
  async authenticate(presented: string): Promise<AuthenticatedKey | undefined> {
    const parts = parseApiKey(presented);
    if (!parts) return undefined;
    const digest = createHash('sha256').update(presented).digest('hex');
    let cached = this.cache.get(digest);
    if (!cached) {
      cached = { keyId: parts.keyId, result: this.verify(parts) };
      this.cache.set(digest, cached);
    }
    let result: AuthenticatedKey | undefined;
    try {
      result = await cached.result;
    } catch (error) {
      this.cache.deleteIf(digest, cached); // an outage must not be remembered as an answer
      throw error;
    }
    if (result) await this.touch(result.keyId);
    return result;
  }

  /** Marks the key revoked (keeping the first revocation time if it already was). */
  async revoke(keyId: string): Promise<ApiKeySummary> {
    if (!isKeyId(keyId)) throw registryErrors.unknownKey(keyId);
    await this.dataSource
      .createQueryBuilder()
      .update(ApiKeyEntity)
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())' })
      .where({ keyId })
      .execute();
    this.cache.deleteWhere((entry) => entry.keyId === keyId);
    return this.summary(keyId);
  }

  /** A new key for the same source and label; the old one works until it is revoked. */
  async rotate(keyId: string): Promise<CreatedApiKey> {
    if (!isKeyId(keyId)) throw registryErrors.unknownKey(keyId);
    const old = await this.dataSource.getRepository(ApiKeyEntity).findOne({
      where: { keyId },
      relations: { source: true },
    });
    if (!old?.source) throw registryErrors.unknownKey(keyId);
    if (old.revokedAt) throw registryErrors.keyRevoked(keyId, old.revokedAt);
    return this.insertKey(old.sourceId, old.source.name, old.label);
  }

  async list(sourceName: string): Promise<ApiKeySummary[]> {
    const source = await requireSource(this.dataSource.manager, sourceName);
    const keys = await this.dataSource.getRepository(ApiKeyEntity).find({
      where: { sourceId: source.id },
      order: { createdAt: 'ASC', keyId: 'ASC' },
    });
    return keys.map((key) => toSummary(key, source.name));
  }

  /** Not in a transaction: a failed insert would abort it, and the retry needs a live one. */
  private async insertKey(
    sourceId: string,
    sourceName: string,
    label: string | null,
  ): Promise<CreatedApiKey> {
    const secret = generateSecret();
    const hash = await hashSecret(secret, this.options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
    // 60 random bits: a clash is all but impossible, yet retrying is cheaper than reasoning.
    for (let attempt = 1; ; attempt++) {
      const keyId = generateKeyId();
      try {
        const keys = this.dataSource.getRepository(ApiKeyEntity);
        const saved = await keys.save(keys.create({ sourceId, keyId, hash, label }));
        const key = formatApiKey({ keyId, secret });
        return { key, keyId, sourceName, label, createdAt: saved.createdAt };
      } catch (error) {
        if (attempt < 3 && isUniqueViolation(error, 'api_keys_key_id_key')) continue;
        throw error;
      }
    }
  }

  /**
   * An unknown or revoked key returns before hashing; the timing reveals only whether a key id
   * exists, and key ids are not secret. The secret is compared in constant time.
   */
  private async verify(parts: ApiKeyParts): Promise<AuthenticatedKey | undefined> {
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOne({
      where: { keyId: parts.keyId },
      relations: { source: true },
    });
    if (!key?.source || key.revokedAt) return undefined;
    if (!(await verifySecret(parts.secret, key.hash))) return undefined;
    return { sourceId: key.sourceId, sourceName: key.source.name, keyId: key.keyId };
  }

  /** Best effort: a failed bookkeeping write must not fail the request it belongs to. */
  private async touch(keyId: string): Promise<void> {
    const now = this.now();
    const last = this.lastTouched.get(keyId);
    if (last !== undefined && now - last < (this.options.lastUsedIntervalMs ?? 60_000)) return;
    this.lastTouched.set(keyId, now);
    await this.dataSource
      .createQueryBuilder()
      .update(ApiKeyEntity)
      .set({ lastUsedAt: () => 'now()' })
      .where({ keyId })
      .execute()
      .catch(() => undefined);
  }

  private async summary(keyId: string): Promise<ApiKeySummary> {
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOne({
      where: { keyId },
      relations: { source: true },
    });
    if (!key?.source) throw registryErrors.unknownKey(keyId);
    return toSummary(key, key.source.name);
  }
}

function toSummary(key: ApiKeyEntity, sourceName: string): ApiKeySummary {
  return {
    keyId: key.keyId,
    sourceName,
    label: key.label,
    createdAt: key.createdAt,
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
  };
}
