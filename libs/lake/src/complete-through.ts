import type { PartitionProgress } from './lake-store';

/**
 * How far, in ingestion time, the lake holds every event — the latest safe batch cut before
 * alignment. Per partition: a partition the lake has caught up with (its last offset is the
 * topic's last) is complete up to when that was checked; one still behind is complete up to the
 * newest `_ingested_at` it holds. Either way minus `lagMs`: an event is stamped before it is
 * appended to Kafka, by at most the ingest publish timeout, so a later record may still carry
 * an earlier `_ingested_at` by that much.
 */
export function completeThrough(
  progress: readonly PartitionProgress[],
  endOffsets: ReadonlyMap<number, bigint> | undefined,
  checkedAt: Date,
  lagMs: number,
): Date | undefined {
  const byPartition = new Map(progress.map((p) => [p.partition, p]));
  const partitions = endOffsets ? [...endOffsets.keys()] : [...byPartition.keys()];
  let bound: number | undefined;
  for (const partition of partitions) {
    const end = endOffsets?.get(partition); // next offset to be written
    const held = byPartition.get(partition);
    let through: number;
    if (end !== undefined && (end === 0n || (held && held.lastOffset + 1n >= end))) {
      through = checkedAt.getTime();
    } else if (held?.maxIngestedAt) {
      through = held.maxIngestedAt.getTime();
    } else {
      return undefined; // a partition with events the lake has none of yet
    }
    bound = bound === undefined ? through : Math.min(bound, through);
  }
  return bound === undefined ? undefined : new Date(bound - lagMs);
}
