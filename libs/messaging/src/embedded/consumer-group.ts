/** A member of an in-process consumer group, woken when its assignment changes. */
export interface GroupMember {
  wake(): void;
}

/**
 * One consumer group on one topic, inside the process that owns the log: members in join order,
 * partition p assigned to member p mod n (recomputed, and every member woken, when one joins or
 * leaves), and at most one batch per partition in flight across the members, so a partition's
 * new owner starts only after the old owner's in-flight batch ended (without committing, as it
 * lost the partition).
 */
export class ConsumerGroup {
  private members: GroupMember[] = [];
  private assignment: GroupMember[] = [];
  private readonly inFlight = new Map<number, Promise<unknown>>();
  /** Bumped on every rebalance. */
  generation = 0;

  constructor(
    readonly groupId: string,
    private readonly partitions: number,
  ) {}

  get size(): number {
    return this.members.length;
  }

  join(member: GroupMember): void {
    this.members.push(member);
    this.rebalance();
  }

  leave(member: GroupMember): void {
    this.members = this.members.filter((m) => m !== member);
    this.rebalance();
  }

  owns(member: GroupMember, partition: number): boolean {
    return this.assignment[partition] === member;
  }

  partitionsOf(member: GroupMember): number[] {
    return this.assignment.flatMap((owner, partition) => (owner === member ? [partition] : []));
  }

  /** Runs `work` on a partition once the batch in flight on it, if any, has ended. */
  exclusive<T>(partition: number, work: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(partition) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.inFlight.set(partition, next);
    return next;
  }

  private rebalance(): void {
    this.generation += 1;
    const n = this.members.length;
    this.assignment = Array.from({ length: this.partitions }, (_, p) => this.members[p % n]);
    if (n === 0) this.assignment = [];
    for (const member of this.members) member.wake();
  }
}
