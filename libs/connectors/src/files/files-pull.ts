import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawItem } from '@tributary/registry';
import type { ConnectorConfig, FilesSourceSettings } from '../config/connector-config';
import type { EntityTable } from '../entity/entity-table';
import { rowItem } from '../events/row-events';
import { ConnectorError } from '../run/connector-error';
import type { Pull, PullContext } from '../run/pull';
import type { ProcessedFile } from '../store/connector-store';
import { fileSourceFor, type S3Access } from './file-source';
import { csvRecords, type FileRecord, jsonLineRecords } from './file-rows';

/** Reads a Parquet file's rows (through the warehouse's `file()` table function). */
export type ParquetReader = (path: string) => Promise<Array<Record<string, unknown>>>;

/** Rows published per bus write. */
const CHUNK_ROWS = 1_000;

/**
 * Files dropped in a folder or under an S3 prefix, each processed once: a file is known by path,
 * size and checksum (SHA-256, or an object's ETag), and
 * recorded only after all its rows were acknowledged by the bus — a run that fails half-way
 * reads the file again next time (same event ids, so consumers drop the copies). Good rows
 * become events; bad ones (unparseable, or refused by the schema) go to the DLQ with their line.
 */
export class FilesPull implements Pull {
  private readonly settings: FilesSourceSettings;

  constructor(
    private readonly config: ConnectorConfig,
    private readonly readParquet: ParquetReader | undefined,
    private readonly entity: EntityTable | undefined,
    private readonly s3?: S3Access,
  ) {
    if (config.pull.kind !== 'files') throw new Error(`${config.name} is not a files connector`);
    this.settings = config.pull;
  }

  async attempt(ctx: PullContext): Promise<undefined> {
    const source = fileSourceFor(this.config.name, this.settings.location, this.s3);
    const files = await source.list(globMatcher(this.settings.pattern));
    let done = 0;
    for (const entry of files) {
      ctx.signal.throwIfAborted();
      const file: ProcessedFile = {
        path: entry.path,
        size: entry.size,
        checksum: await entry.checksum(),
      };
      if (await ctx.store.fileProcessed(this.config.name, file)) {
        ctx.counts.skipped += 1;
      } else {
        await this.processFile(ctx, entry.name, file, await entry.content());
      }
      done += 1;
      ctx.onProgress?.({ done, total: files.length });
    }
    return undefined;
  }

  async commit(ctx: PullContext): Promise<void> {
    await ctx.store.succeeded(this.config.name);
  }

  private async processFile(
    ctx: PullContext,
    name: string,
    file: ProcessedFile,
    content: Buffer,
  ): Promise<void> {
    const records = await this.records(file.path, content);
    const extractedAt = new Date();
    const counts = { published: 0, rejected: 0 };
    const current: Array<Record<string, unknown>> = [];
    for (let start = 0; start < records.length; start += CHUNK_ROWS) {
      const items: RawItem[] = records.slice(start, start + CHUNK_ROWS).map((record) => {
        const origin = { connector: this.config.name, file: file.path, line: record.line };
        if ('errors' in record) return { text: record.text, errors: record.errors, origin };
        if (this.entity) current.push(record.values);
        return rowItem(this.config, {
          values: record.values,
          table: name,
          key:
            this.config.primaryKey.length > 0
              ? this.config.primaryKey.map((column) => String(record.values[column]))
              : [String(record.line)],
          version:
            this.config.versionColumn === undefined
              ? file.checksum
              : String(record.values[this.config.versionColumn]),
          origin,
        }).item;
      });
      const outcome = await ctx.publisher.publish(items, {
        source: this.config.source,
        correlationId: ctx.correlationId,
        extractedAt,
      });
      counts.published += outcome.accepted;
      counts.rejected += outcome.rejected;
    }
    ctx.counts.read += records.length;
    ctx.counts.published += counts.published;
    ctx.counts.rejected += counts.rejected;
    await this.entity?.upsert(current);
    await ctx.store.markFile(this.config.name, ctx.runId, file, counts);
  }

  private async records(path: string, content: Buffer): Promise<FileRecord[]> {
    switch (this.settings.format) {
      case 'csv':
        return csvRecords(content.toString('utf8'), this.settings.csv.delimiter);
      case 'jsonl':
        return jsonLineRecords(content.toString('utf8'));
      case 'parquet': {
        if (!this.readParquet) {
          throw new ConnectorError(
            'not_configured',
            `${this.config.name}: reading Parquet needs the warehouse`,
          );
        }
        const rows = path.startsWith('s3://')
          ? await readLocalCopy(content, this.readParquet)
          : await this.readParquet(path);
        return rows.map((values, index) => ({
          line: index + 1,
          text: JSON.stringify(values),
          values,
        }));
      }
    }
  }
}

/** `*.csv`, `orders-*.jsonl`: `*` any characters but `/`, `?` one; the rest literal. */
function globMatcher(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** An S3 object's bytes through a local copy (the warehouse's `file()` reads files, not buffers). */
async function readLocalCopy(content: Buffer, read: ParquetReader) {
  const folder = await mkdtemp(join(tmpdir(), 'tributary-s3-'));
  try {
    const path = join(folder, 'object.parquet');
    await writeFile(path, content);
    return await read(path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
