import type { ConnectorConfig, PostgresSourceSettings } from '../config/connector-config';
import type { EntityTable } from '../entity/entity-table';
import { rowItem } from '../events/row-events';
import type { Pull, PullContext } from '../run/pull';
import type { Watermark } from '../store/connector-store';
import { type PullRange, PostgresSource, type SourceRow } from './postgres-source';

/** Rows of an entity table kept in memory before they are written (a long run writes in parts). */
const ENTITY_FLUSH_ROWS = 50_000;

/**
 * An incremental pull from Postgres. Each attempt reads from the committed watermark less the
 * overlap window, page by page in (watermark, tie-breaker) order; rows whose event id was
 * already published (the window, or an earlier failed attempt) are skipped; each page goes to
 * the bus and, once acknowledged, its ids are recorded. The watermark itself moves only when the
 * whole run succeeded (`commit`), so a run that fails leaves it where the last good run ended.
 */
export class PostgresPull implements Pull {
  private readonly settings: PostgresSourceSettings;
  private readonly staged = new Map<string, Record<string, unknown>>();
  /** The table in event ids and DLQ origins: `schema.table`, or `query:<connector>`. */
  private readonly label: string;

  constructor(
    private readonly config: ConnectorConfig,
    private readonly url: string,
    private readonly entity: EntityTable | undefined,
  ) {
    if (config.pull.kind !== 'postgres')
      throw new Error(`${config.name} is not a Postgres connector`);
    this.settings = config.pull;
    this.label = config.pull.table ?? `query:${config.name}`;
  }

  async attempt(ctx: PullContext): Promise<Watermark | undefined> {
    const { config, store, counts } = ctx;
    const state = await store.state(config.name);
    const range: PullRange = ctx.range
      ? { kind: 'range', ...ctx.range }
      : { kind: 'incremental', after: state?.watermark, overlap: this.settings.watermark.overlap };
    const source = new PostgresSource(this.url, this.settings, {
      primaryKey: config.primaryKey.length > 0 ? config.primaryKey : [this.settings.tieBreaker],
      version: config.versionColumn ?? this.settings.watermark.column,
    });
    const abort = () => void source.close();
    ctx.signal.addEventListener('abort', abort);
    try {
      await source.connect();
      const total = ctx.onProgress ? await source.count(range) : undefined;
      let cursor: Watermark | undefined;
      let done = 0;
      for (;;) {
        ctx.signal.throwIfAborted();
        const rows = await source.page(range, cursor);
        if (rows.length === 0) break;
        const extractedAt = new Date();
        const items = rows.map((row) => ({
          row,
          ...rowItem(config, {
            values: row.values,
            table: this.label,
            key: row.key,
            version: row.version,
            origin: {
              connector: config.name,
              table: this.label,
              key: row.key.join(','),
            },
          }),
        }));
        // A backfill re-publishes its range on purpose (consumers dedup by event id).
        const seen = ctx.range
          ? new Set<string>()
          : await store.published(
              config.name,
              items.map((i) => i.eventId),
            );
        const fresh = items.filter((i) => !seen.has(i.eventId));
        const outcome = await ctx.publisher.publish(
          fresh.map((i) => i.item),
          { source: config.source, correlationId: ctx.correlationId, extractedAt },
        );
        // Only now, acknowledged by the broker, do these rows count as published.
        await store.markPublished(
          config.name,
          ctx.runId,
          fresh.map((i) => ({ eventId: i.eventId, watermark: i.row.watermark.value })),
        );
        counts.read += rows.length;
        counts.published += outcome.accepted;
        counts.rejected += outcome.rejected;
        counts.skipped += items.length - fresh.length;
        await this.stage(rows);
        cursor = rows[rows.length - 1].watermark;
        done += rows.length;
        ctx.onProgress?.({ done, ...(total === undefined ? {} : { total }) });
      }
      return ctx.range ? undefined : cursor;
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      await source.close();
    }
  }

  async commit(ctx: PullContext, watermark: Watermark | undefined): Promise<void> {
    await this.flush();
    if (ctx.range) return;
    await ctx.store.advance(this.config.name, watermark, this.settings.watermark);
  }

  /** Every row read (published now or earlier) is the source's current state of its key. */
  private async stage(rows: readonly SourceRow[]): Promise<void> {
    if (!this.entity) return;
    for (const row of rows) this.staged.set(JSON.stringify(row.key), row.values);
    if (this.staged.size >= ENTITY_FLUSH_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.entity || this.staged.size === 0) return;
    await this.entity.upsert([...this.staged.values()]);
    this.staged.clear();
  }
}
