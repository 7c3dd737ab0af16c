import { createHash } from 'node:crypto';
import type { QueryRequest } from './query-request';
import type { QueryAnswer } from './query.service';

/**
 * Answers that cannot change — `as_of` a published run: the batch copy alone, nothing newer —
 * kept in memory up to a size bound (least recently used out first), and named by an ETag so a
 * client's conditional GET gets 304. Live answers are never cached: late events can still add to
 * any past bucket through the real-time side.
 */
export interface CachedAnswer {
  readonly answer: QueryAnswer;
  /** `answer.rows` as JSON text, serialised once when cached, spliced into each JSON reply. */
  readonly rowsJson: string;
}

export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  /** The ETag of a query answered from run `runId` (format excluded: same rows, other body). */
  static etag(request: QueryRequest, runId: string): string {
    const key = JSON.stringify([
      runId,
      request.view.name,
      request.grain,
      request.dimensions,
      request.measures,
      request.filters,
      request.from?.toISOString(),
      request.to?.toISOString(),
      request.order,
      request.limit,
      request.offset,
      request.timeZone,
    ]);
    return `"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
  }

  get(etag: string): CachedAnswer | undefined {
    const entry = this.entries.get(etag);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.entries.delete(etag); // re-insert: most recently used last
    this.entries.set(etag, entry);
    return entry;
  }

  /** Keeps an answer (when it fits the bound) and returns it with its rows' JSON text. */
  set(etag: string, answer: QueryAnswer): CachedAnswer {
    const entry = { answer, rowsJson: JSON.stringify(answer.rows) };
    const bytes = entry.rowsJson.length;
    if (bytes > this.maxBytes) return entry;
    const previous = this.entries.get(etag);
    if (previous) this.bytes -= previous.rowsJson.length;
    this.entries.set(etag, entry);
    this.bytes += bytes;
    for (const [key, kept] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= kept.rowsJson.length;
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
