import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './files';

type GroupOffsets = Map<string, Map<number, number>>;

/**
 * Committed offsets of the consumer groups: one file per group (`groups/<group>.json`,
 * `{topic: {partition: next offset}}`), replaced atomically on every commit, so a crash leaves
 * the previous commit or the new one. Commits of one group that arrive while its file is being
 * written share the next write.
 */
export class OffsetStore {
  private readonly groups = new Map<string, GroupOffsets>();
  private readonly writing = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();

  private constructor(private readonly folder: string) {}

  static async open(folder: string): Promise<OffsetStore> {
    await mkdir(folder, { recursive: true });
    const store = new OffsetStore(folder);
    for (const name of await readdir(folder)) {
      if (!name.endsWith('.json')) continue;
      const group = decodeURIComponent(name.slice(0, -'.json'.length));
      const content = JSON.parse(await readFile(join(folder, name), 'utf8')) as Record<
        string,
        Record<string, number>
      >;
      store.groups.set(
        group,
        new Map(
          Object.entries(content).map(([topic, partitions]) => [
            topic,
            new Map(Object.entries(partitions).map(([p, offset]) => [Number(p), offset])),
          ]),
        ),
      );
    }
    return store;
  }

  committed(group: string, topic: string, partition: number): number | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  /** Sets offsets (the next record to read) and resolves once they are durable. */
  commit(group: string, topic: string, offsets: ReadonlyMap<number, number>): Promise<void> {
    const groupOffsets = this.groups.get(group) ?? new Map<string, Map<number, number>>();
    this.groups.set(group, groupOffsets);
    const partitions = groupOffsets.get(topic) ?? new Map<number, number>();
    groupOffsets.set(topic, partitions);
    for (const [partition, offset] of offsets) partitions.set(partition, offset);
    return this.persist(group);
  }

  /** Writes the group's file after the write in flight, if any; concurrent callers share it. */
  private persist(group: string): Promise<void> {
    this.dirty.add(group);
    const previous = this.writing.get(group) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty.delete(group)) return; // an earlier queued write already carried it
        const content: Record<string, Record<string, number>> = {};
        for (const [topic, partitions] of this.groups.get(group) ?? [])
          content[topic] = Object.fromEntries(partitions);
        try {
          await writeFileAtomic(
            join(this.folder, `${encodeURIComponent(group)}.json`),
            JSON.stringify(content),
          );
        } catch (error) {
          this.dirty.add(group); // the next commit writes it again; this caller sees the failure
          throw error;
        }
      });
    this.writing.set(group, next);
    return next;
  }

  /** Waits for the writes in flight. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writing.values()]);
  }
}
