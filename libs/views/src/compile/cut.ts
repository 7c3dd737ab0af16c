import type { Grain } from '../definition/view-definition';
import { formatDateTime64 } from './clickhouse-time';

/**
 * The real-time tables bucket ingestion time by the minute. A cut T_b is exact only on a bucket
 * boundary: the batch side takes `_ingested_at < T_b` from raw events, the real-time side
 * `ingested_bucket >= T_b` from pre-aggregated rows; both describe the same events only when T_b
 * is a whole minute (inside a minute, the events from T_b to the minute's end would be on neither
 * side). So cuts must be aligned — the batch layer picks T_b with `alignCut`, and `cutParams`
 * refuses anything else rather than silently answering short.
 */
export const INGESTION_BUCKET: Grain = 'minute';
export const INGESTION_BUCKET_MS = 60_000;

/** The query parameter every cut-aware compiled query reads. */
export const CUT_PARAMETER = 'cut';
export const CUT_SQL = `{${CUT_PARAMETER}:DateTime64(3, 'UTC')}`;

export class CutAlignmentError extends Error {
  override readonly name = 'CutAlignmentError';
}

export function isAlignedCut(cut: Date): boolean {
  return Number.isFinite(cut.getTime()) && cut.getTime() % INGESTION_BUCKET_MS === 0;
}

/** The latest aligned cut at or before `at`. */
export function alignCut(at: Date): Date {
  return new Date(Math.floor(at.getTime() / INGESTION_BUCKET_MS) * INGESTION_BUCKET_MS);
}

/** `query_params` for a compiled query with a cut; refuses a cut that is not on a bucket boundary. */
export function cutParams(cut: Date): { [CUT_PARAMETER]: string } {
  if (!isAlignedCut(cut)) {
    throw new CutAlignmentError(
      `cut ${Number.isFinite(cut.getTime()) ? cut.toISOString() : String(cut)} is not on an ingestion-bucket boundary (whole ${INGESTION_BUCKET}s, UTC); use alignCut()`,
    );
  }
  return { [CUT_PARAMETER]: formatDateTime64(cut) };
}
