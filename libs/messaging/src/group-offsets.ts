import type { Admin, Kafka } from 'kafkajs';

/** Where to move a consumer group's committed offsets on one topic. */
export type OffsetResetTarget =
  | { kind: 'earliest' }
  /** The first offset at or after this time (epoch ms) per partition; the end when none is. */
  | { kind: 'timestamp'; at: number }
  /** Explicit offsets (the next record to read) for some partitions; the others stay. */
  | { kind: 'offsets'; offsets: ReadonlyArray<{ partition: number; offset: string }> };

export interface PartitionReset {
  partition: number;
  /** The committed offset before (undefined: nothing committed). */
  from: string | undefined;
  to: string;
}

/** The group still has members: moving its offsets now would race them, so nothing was changed. */
export class GroupActiveError extends Error {
  constructor(
    readonly groupId: string,
    readonly state: string,
    readonly members: number,
  ) {
    super(
      `consumer group ${groupId} is active (state ${state}, ${members} member(s)): stop its consumers first`,
    );
    this.name = 'GroupActiveError';
  }
}

/** Whether a consumer group has no members (Kafka's Empty or Dead state). */
async function groupIsInactive(
  admin: Admin,
  groupId: string,
): Promise<{ inactive: boolean; state: string; members: number }> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups.find((g) => g.groupId === groupId);
  const state = group?.state ?? 'Dead';
  const members = group?.members.length ?? 0;
  return { inactive: members === 0 && (state === 'Empty' || state === 'Dead'), state, members };
}

/** Throws GroupActiveError when the group has members. */
export async function assertGroupInactive(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const status = await groupIsInactive(admin, groupId);
    if (!status.inactive) throw new GroupActiveError(groupId, status.state, status.members);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Moves the committed offsets of an inactive consumer group on one topic (a replay). Refuses with
 * GroupActiveError while the group has members, and refuses offsets outside a partition's
 * retained range, before anything is changed.
 */
export async function resetGroupOffsets(
  kafka: Kafka,
  options: { groupId: string; topic: string; target: OffsetResetTarget },
): Promise<PartitionReset[]> {
  const { groupId, topic, target } = options;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const status = await groupIsInactive(admin, groupId);
    if (!status.inactive) throw new GroupActiveError(groupId, status.state, status.members);
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const before = new Map(
      (committed?.partitions ?? []).map((p) => [
        p.partition,
        p.offset === '-1' ? undefined : p.offset,
      ]),
    );
    let next: Array<{ partition: number; offset: string }>;
    switch (target.kind) {
      case 'earliest':
        next = ends.map((p) => ({ partition: p.partition, offset: p.low }));
        break;
      case 'timestamp': {
        const found = await admin.fetchTopicOffsetsByTimestamp(topic, target.at);
        next = found.map((p) => ({
          partition: p.partition,
          offset:
            p.offset === '-1'
              ? (ends.find((e) => e.partition === p.partition)?.high ?? '0')
              : p.offset,
        }));
        break;
      }
      case 'offsets':
        next = target.offsets.map((p) => {
          const end = ends.find((e) => e.partition === p.partition);
          if (!end) throw new Error(`${topic} has no partition ${p.partition}`);
          if (BigInt(p.offset) < BigInt(end.low) || BigInt(p.offset) > BigInt(end.high))
            throw new Error(
              `offset ${p.offset} of partition ${p.partition} is outside ${end.low}..${end.high} (what ${topic} retains)`,
            );
          return { partition: p.partition, offset: p.offset };
        });
        break;
    }
    next.sort((a, b) => a.partition - b.partition);
    await admin.setOffsets({ groupId, topic, partitions: next });
    return next.map((p) => ({
      partition: p.partition,
      from: before.get(p.partition),
      to: p.offset,
    }));
  } finally {
    await admin.disconnect();
  }
}
