import { isDeepStrictEqual } from 'node:util';
import { isEventTypeName, REGISTRY_REVISION_QUERY, SchemaVersionEntity } from '@tributary/metadata';
import type { DataSource } from 'typeorm';
import { BoundedCache } from '../bounded-cache';
import { registryErrors } from '../registry-errors';
import { backwardIncompatibilities } from './compatibility';
import type { PropertyError } from './property-errors';
import { RevisionPoller } from './revision-poller';
import { SchemaCompiler } from './schema-compiler';

/** One version of an event type's schema, compiled and ready to validate events. */
export interface ResolvedSchema {
  readonly type: string;
  readonly version: number;
  /**
   * Every problem with an event's `properties` (empty: valid), pointers prefixed `/properties`.
   * Fills in the `default` of a missing property, in place: that is what keeps a new required
   * property with a default backward compatible.
   */
  validate(properties: unknown): PropertyError[];
}

export interface RegisterOptions {
  /** Replaces the event type's description; omitted keeps the current one. */
  description?: string;
}

export interface SchemaVersionSummary {
  type: string;
  version: number;
  description: string | null;
  createdAt: Date;
}

export interface SchemaRegistryOptions {
  /** How often `resolve` checks for versions registered elsewhere: 500 ms (seen within ~1 s). */
  pollIntervalMs?: number;
  /** Bound on remembered "latest" and "unknown" answers, since clients choose the names: 10,000. */
  maxCachedLookups?: number;
  now?: () => number;
}

interface VersionRow {
  version: number;
  json_schema: unknown;
}

/**
 * Event types with numbered JSON Schemas (draft 2020-12) in Postgres. A new version must be
 * backward compatible with the latest (see compatibility-rules.ts); every older one stays
 * resolvable, so producers move to a new version at their own pace.
 *
 * Caching: a compiled (type, version) is kept for good, since stored versions never change (the
 * table is append-only). Which version is latest, and which names are unknown, is kept until
 * `registry_revision` moves: `resolve` polls that one-row counter at most every `pollIntervalMs`,
 * so a version registered by another process is used within about a second. If Postgres is
 * unreachable, cached schemas keep validating; only lookups not cached yet fail.
 */
export class SchemaRegistry {
  private readonly compiler = new SchemaCompiler();
  private readonly compiled = new Map<string, ResolvedSchema>();
  private readonly lookups: BoundedCache<Promise<ResolvedSchema | undefined>>;
  private readonly poller: RevisionPoller;

  constructor(
    private readonly dataSource: DataSource,
    options: SchemaRegistryOptions = {},
  ) {
    this.lookups = new BoundedCache({
      ttlMs: Infinity,
      maxEntries: options.maxCachedLookups ?? 10_000,
    });
    this.poller = new RevisionPoller(
      () => this.readRevision(),
      () => this.lookups.clear(),
      options.pollIntervalMs ?? 500,
      options.now,
    );
  }

  /**
   * Stores `jsonSchema` as the type's next version and returns its number (1 for a new type).
   * Registering the latest schema again changes nothing and returns its version, so scripts can
   * re-run. Throws INVALID_NAME, INVALID_SCHEMA or INCOMPATIBLE_SCHEMA with every reason.
   */
  async register(
    type: string,
    jsonSchema: unknown,
    options: RegisterOptions = {},
  ): Promise<number> {
    if (!isEventTypeName(type)) throw registryErrors.invalidEventType(type);
    const problems = this.compiler.problems(jsonSchema);
    if (problems.length > 0) throw registryErrors.invalidSchema(type, problems);
    const schema: unknown = JSON.parse(JSON.stringify(jsonSchema)); // as jsonb will return it

    const version = await this.dataSource.transaction(async (manager) => {
      // The upsert locks the type's row, so concurrent registrations of a type take turns.
      const [{ id }] = (await manager.query(
        `INSERT INTO event_types (name, description) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET description = COALESCE(EXCLUDED.description, event_types.description)
         RETURNING id`,
        [type, options.description ?? null],
      )) as [{ id: string }];
      const latest = await manager.findOne(SchemaVersionEntity, {
        where: { eventTypeId: id },
        order: { version: 'DESC' },
      });
      if (latest && isDeepStrictEqual(latest.jsonSchema, schema)) return latest.version;
      if (latest) {
        const reasons = backwardIncompatibilities(latest.jsonSchema, schema);
        if (reasons.length > 0)
          throw registryErrors.incompatibleSchema(type, latest.version, reasons);
      }
      const next = (latest?.version ?? 0) + 1;
      await manager.save(
        manager.create(SchemaVersionEntity, { eventTypeId: id, version: next, jsonSchema: schema }),
      );
      return next;
    });
    this.poller.expire(); // this process sees its own registration at once
    return version;
  }

  /** The given version, or the latest when omitted; undefined for an unknown type or version. */
  async resolve(type: string, version?: number): Promise<ResolvedSchema | undefined> {
    const wanted = version === undefined || (Number.isSafeInteger(version) && version >= 1);
    if (!wanted || !isEventTypeName(type)) return undefined; // no query for what cannot exist
    await this.poller.check().catch(() => undefined); // outage: serve what is cached
    if (version !== undefined) {
      const compiled = this.compiled.get(key(type, version));
      if (compiled) return compiled;
    }
    const lookupKey = version === undefined ? `${type}@latest` : key(type, version);
    let lookup = this.lookups.get(lookupKey);
    if (!lookup) {
      lookup = this.load(type, version);
      this.lookups.set(lookupKey, lookup);
    }
    try {
      return await lookup;
    } catch (error) {
      this.lookups.deleteIf(lookupKey, lookup);
      throw error;
    }
  }

  /** Registered versions, oldest first per type, types by name; one type's when `type` is given. */
  async list(type?: string): Promise<SchemaVersionSummary[]> {
    const query = this.dataSource
      .getRepository(SchemaVersionEntity)
      .createQueryBuilder('version')
      .innerJoinAndSelect('version.eventType', 'type')
      .orderBy('type.name')
      .addOrderBy('version.version');
    if (type !== undefined) query.where('type.name = :type', { type });
    const versions = await query.getMany();
    return versions.map((v) => ({
      type: v.eventType?.name ?? type ?? '',
      version: v.version,
      description: v.eventType?.description ?? null,
      createdAt: v.createdAt,
    }));
  }

  private async load(type: string, version?: number): Promise<ResolvedSchema | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT v.version, v.json_schema FROM schema_versions v
       JOIN event_types t ON t.id = v.event_type_id
       WHERE t.name = $1 AND ($2::integer IS NULL OR v.version = $2)
       ORDER BY v.version DESC LIMIT 1`,
      [type, version ?? null],
    )) as VersionRow[];
    return rows[0] && this.compile(type, rows[0]);
  }

  private compile(type: string, row: VersionRow): ResolvedSchema {
    const cacheKey = key(type, row.version);
    let resolved = this.compiled.get(cacheKey);
    if (!resolved) {
      resolved = Object.freeze({
        type,
        version: row.version,
        validate: this.compiler.compile(row.json_schema),
      });
      this.compiled.set(cacheKey, resolved);
    }
    return resolved;
  }

  private async readRevision(): Promise<string> {
    const rows = (await this.dataSource.query(REGISTRY_REVISION_QUERY)) as Array<{
      revision: string;
    }>;
    return rows[0]?.revision ?? '';
  }
}

function key(type: string, version: number): string {
  return `${type}@${version}`;
}
