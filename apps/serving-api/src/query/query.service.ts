import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import { warehouseTargetFor } from '@tributary/connections';
import { type BatchRun, BatchStore, runCopyTable } from '@tributary/lake';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { Metrics, RateLimiter } from '@tributary/platform';
import { ReadTokens } from '@tributary/registry';
import {
  DEFAULT_VIEWS,
  finestGrain,
  QueryError,
  realtimeTable,
  rollupTable,
  servingQuerySql,
  validateViews,
  type ViewDefinition,
  type ViewRow,
} from '@tributary/views';
import { createWarehouseClient, tableExists } from '@tributary/warehouse';
import type { DataSource } from 'typeorm';
import { BadQuery, encodeCursor, type QueryRequest } from './query-request';

type Warehouse = ReturnType<typeof createWarehouseClient>;

/** How long queries share one read of a view's real-time freshness. */
const FRESHNESS_REUSE_MS = 1_000;

export type Authorization =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; status: 401 | 429 | 503; message: string; headers: Record<string, string> };

export interface QueryAnswer {
  rows: ViewRow[];
  meta: {
    view: string;
    grain: string;
    batch: { cut: string; run_id: string } | null;
    realtime: { newest_ingested_bucket: string | null } | null;
    as_of: string | null;
    rows: number;
    next_cursor: string | null;
    elapsed_ms: number;
  };
}

/**
 * Answers queries exactly (ARCHITECTURE §3): the published batch copy of a view at its cut T_b
 * (both read from the one `view_watermarks` row) plus the real-time states ingested at or after
 * T_b; without a published batch result, the real-time side alone. `as_of` answers from an
 * earlier published copy and nothing newer.
 */
@Injectable()
export class QueryService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly views: readonly ViewDefinition[] = validateViews(DEFAULT_VIEWS);
  private warehouse: Warehouse | undefined;
  readonly maxRows: number;
  readonly cacheBytes: number;
  private db: DataSource | undefined;
  private store: BatchStore | undefined;
  private tokens: ReadTokens | undefined;
  /** Which run roll-ups exist (they never change once published). */
  private readonly rollups = new Map<string, boolean>();
  private readonly limiter: RateLimiter;
  private readonly freshness = new Map<string, { at: number; newest: Promise<string | null> }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: TributaryConfig,
    @Inject(Metrics) readonly metrics: Metrics,
  ) {
    this.maxRows = config.serving.maxRows;
    this.cacheBytes = config.serving.cacheBytes;
    this.limiter = new RateLimiter(config.serving.rateLimit);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { auth } = this.config.serving;
    if (auth === 'token' && !this.config.postgres.url) {
      throw new Error(
        'TRIBUTARY_SERVING_AUTH=token needs TRIBUTARY_POSTGRES_URL: read tokens are kept in the metadata store',
      );
    }
    if (this.config.postgres.url) {
      this.db = await createMetadataDataSource({
        url: this.config.postgres.url,
        poolSize: 4,
      }).initialize();
      await migrateMetadata(this.db);
      this.store = new BatchStore(this.db);
      if (auth !== 'none') this.tokens = new ReadTokens(this.db);
    }
  }

  /**
   * Who may query: with read tokens on, a valid `Authorization: Bearer trr_…` within its rate
   * limit; else 401 (missing, unknown or revoked token) or 429 (over the limit, with Retry-After).
   */
  async authorize(header: string | undefined): Promise<Authorization> {
    if (!this.tokens) return { ok: true, headers: {} };
    const challenge = { 'WWW-Authenticate': 'Bearer realm="tributary-serving"' };
    const presented = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    if (!presented) {
      return {
        ok: false,
        status: 401,
        headers: challenge,
        message:
          'send Authorization: Bearer <read token> (create one with `npm run admin -- token create`; ingest keys do not read)',
      };
    }
    let tokenId: string | undefined;
    try {
      tokenId = await this.tokens.authenticate(presented);
    } catch {
      return {
        ok: false,
        status: 503,
        headers: { 'Retry-After': '5' },
        message: 'the metadata store is not answering; retry shortly',
      };
    }
    if (!tokenId) {
      return {
        ok: false,
        status: 401,
        headers: challenge,
        message: 'unknown or revoked read token',
      };
    }
    const rate = this.limiter.take(tokenId, 1);
    if (!rate.allowed) {
      return {
        ok: false,
        status: 429,
        headers: { ...rate.headers, 'Retry-After': String(rate.retryAfterSeconds) },
        message: `read token ${tokenId} made more than ${this.config.serving.rateLimit} queries per second; retry after ${rate.retryAfterSeconds} s`,
      };
    }
    return { ok: true, headers: rate.headers };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.warehouse?.close();
    await this.db?.destroy();
  }

  /** Opened on first use: in the embedded profile the speed layer may hold the chDB folder. */
  private client(): Warehouse {
    this.warehouse ??= createWarehouseClient(warehouseTargetFor(this.config), {
      application: 'tributary-serving-api',
      settings: { max_execution_time: Math.ceil(this.config.serving.queryTimeout / 1000) },
    });
    return this.warehouse;
  }

  async catalog() {
    const watermarks = new Map((await this.store?.watermarks())?.map((w) => [w.view, w]) ?? []);
    return Promise.all(
      this.views.map(async (view) => {
        const mark = watermarks.get(view.name);
        return {
          name: view.name,
          description: view.description ?? null,
          event_types: view.eventTypes,
          dimensions: view.dimensions.map((d) => ({
            name: d.name,
            type: 'type' in d ? d.type : 'String',
            from: 'field' in d ? d.field : `properties.${d.property}`,
          })),
          measures: view.measures.map((m) => ({
            name: m.name,
            fn: m.fn,
            ...('of' in m ? { of: m.of } : {}),
            ...('method' in m ? { method: m.method } : {}),
          })),
          grains: view.grains,
          batch: mark
            ? {
                cut: mark.cut.toISOString(),
                run_id: mark.runId,
                published_at: mark.publishedAt.toISOString(),
              }
            : null,
          realtime: { newest_ingested_bucket: await this.newestRealtime(view) },
        };
      }),
    );
  }

  async query(
    request: QueryRequest,
    batch: { runId: string; cut: Date } | undefined,
  ): Promise<QueryAnswer> {
    const started = performance.now();
    const { view } = request;
    let compiled;
    try {
      compiled = servingQuerySql(view, {
        grain: request.grain,
        dimensions: request.dimensions,
        measures: request.measures,
        filters: request.filters,
        from: request.from,
        to: request.to,
        order: request.order,
        limit: request.limit + 1, // one more tells whether a next page exists
        offset: request.offset,
        batch: batch && { table: await this.batchTable(request, batch.runId), cut: batch.cut },
        batchOnly: request.asOf !== undefined,
        timeZone: request.timeZone,
      });
    } catch (error) {
      if (error instanceof QueryError) throw new BadQuery(400, error.message);
      throw error;
    }
    // Freshness is read beside the answer, not after it: it is on every query's path.
    const newest = request.asOf ? undefined : this.recentFreshness(view);
    let rows: ViewRow[];
    try {
      const result = await this.client().query({
        query: compiled.sql,
        query_params: compiled.params,
        format: 'JSONEachRow',
      });
      rows = await result.json<ViewRow>();
    } catch (error) {
      if (/TIMEOUT_EXCEEDED|Timeout exceeded/i.test(String(error)))
        throw new BadQuery(
          422,
          `the query ran longer than ${this.config.serving.queryTimeout} ms (TRIBUTARY_SERVING_QUERY_TIMEOUT); narrow the range or the dimensions`,
        );
      throw error;
    }
    const more = rows.length > request.limit;
    if (more) rows = rows.slice(0, request.limit);
    const elapsed = performance.now() - started;
    this.metrics
      .get('query_latency_seconds')
      .observe({ view: view.name, format: request.format }, elapsed / 1000);
    return {
      rows,
      meta: {
        view: view.name,
        grain: request.grain,
        batch: batch ? { cut: batch.cut.toISOString(), run_id: batch.runId } : null,
        realtime: newest ? { newest_ingested_bucket: await newest } : null,
        as_of: request.asOf ? (batch?.runId ?? null) : null,
        rows: rows.length,
        next_cursor: more ? encodeCursor(request.offset + request.limit) : null,
        elapsed_ms: Math.round(elapsed),
      },
    };
  }

  /**
   * The table the batch side reads: the run's roll-up to the query's grain when it has one (far
   * fewer rows), else its copy at the finest grain (also for day buckets in a time zone).
   */
  private async batchTable(request: QueryRequest, runId: string): Promise<string> {
    const copy = runCopyTable(request.view, runId);
    const local = request.timeZone !== undefined && request.timeZone !== 'UTC';
    if (local || request.grain === finestGrain(request.view)) return copy;
    const rollup = rollupTable(copy, request.grain);
    let exists = this.rollups.get(rollup);
    if (exists === undefined) {
      exists = await tableExists(this.client(), rollup);
      if (this.rollups.size > 10_000) this.rollups.clear();
      this.rollups.set(rollup, exists);
    }
    return exists ? rollup : copy;
  }

  /**
   * The batch result an answer merges: the live one, or the run `as_of` names (checked to be
   * published and still retained).
   */
  async resolveBatch(request: QueryRequest): Promise<{ runId: string; cut: Date } | undefined> {
    if (!request.asOf) {
      const mark = await this.store?.watermark(request.view.name);
      return mark && { runId: mark.runId, cut: mark.cut };
    }
    if (!this.store)
      throw new BadQuery(422, 'as_of needs the metadata store (TRIBUTARY_POSTGRES_URL)');
    let run: BatchRun | undefined;
    if ('runId' in request.asOf) {
      run = await this.store.run(request.asOf.runId);
      if (!run || run.view !== request.view.name || run.status !== 'published')
        throw new BadQuery(404, `no published run '${request.asOf.runId}' of ${request.view.name}`);
    } else {
      run = await this.store.publishedAsOf(request.view.name, request.asOf.at);
      if (!run)
        throw new BadQuery(
          404,
          `no run of ${request.view.name} was published by ${request.asOf.at.toISOString()}`,
        );
    }
    if (!(await tableExists(this.client(), runCopyTable(request.view, run.runId))))
      throw new BadQuery(
        422,
        `run ${run.runId} is no longer retained in ClickHouse (TRIBUTARY_BATCH_RETAIN_COPIES); read its Iceberg snapshot ${run.outputSnapshotId ?? ''} instead`,
      );
    return { runId: run.runId, cut: run.cut };
  }

  /**
   * The real-time freshness a query's meta reports: one read shared by the queries of a view
   * within FRESHNESS_REUSE_MS. The value is a minute bucket, so it moves once a minute at most;
   * under load this turns one engine query per request into one per second (the catalog still
   * reads it afresh).
   */
  private recentFreshness(view: ViewDefinition): Promise<string | null> {
    const now = performance.now();
    const recent = this.freshness.get(view.name);
    if (recent && now - recent.at < FRESHNESS_REUSE_MS) return recent.newest;
    const newest = this.newestRealtime(view);
    this.freshness.set(view.name, { at: now, newest });
    return newest;
  }

  private async newestRealtime(view: ViewDefinition): Promise<string | null> {
    try {
      const result = await this.client().query({
        query: `SELECT toString(max(ingested_bucket)) AS newest, count() AS n FROM ${realtimeTable(view)}`,
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ newest: string; n: string }>();
      return row && row.n !== '0' ? row.newest : null;
    } catch {
      return null; // the real-time table is not there (yet): nothing to report
    }
  }
}
