// The contract of the messaging port, written once and declared for each adapter:
// embedded-log.spec.ts (temp folders) and kafka-log.int-spec.ts (the local broker).
import { uniqueName, waitFor } from '@tributary/testing';
import { GroupActiveError } from './group-offsets';
import type { MessageLog } from './message-log';
import type {
  ConsumedRecord,
  OffsetRange,
  PartitionConsumerOptions,
  PartitionSink,
  RunningConsumer,
} from './partition-consumer';

/**
 * A fake of our own sink port that remembers how often each offset was written. Like ClickHouse
 * with an insert_deduplication_token, a repeated write of the same range is dropped.
 */
export class MemorySink implements PartitionSink {
  readonly writes = new Map<string, number>();
  private readonly tokens = new Set<string>();
  readonly values = new Map<string, string>();
  /** Records in the order written, with their partition and key. */
  readonly log: Array<{ partition: number; offset: string; key: string | null; value: string }> =
    [];
  failNext = 0;
  afterWrite?: (range: OffsetRange) => void;

  async storedUpTo(_topic: string, partition: number): Promise<string | undefined> {
    const offsets = [...this.values.keys()]
      .filter((k) => k.startsWith(`${partition}:`))
      .map((k) => BigInt(k.split(':')[1]));
    return offsets.length === 0 ? undefined : offsets.reduce((a, b) => (a > b ? a : b)).toString();
  }

  async write(range: OffsetRange, records: readonly ConsumedRecord[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('sink unavailable');
    }
    const token = `${range.topic}:${range.partition}:${range.firstOffset}-${range.lastOffset}`;
    if (this.tokens.has(token)) return;
    this.tokens.add(token);
    for (const record of records) {
      const id = `${range.partition}:${record.offset}`;
      this.writes.set(id, (this.writes.get(id) ?? 0) + 1);
      this.values.set(id, String(record.value));
      this.log.push({
        partition: range.partition,
        offset: record.offset,
        key: record.key,
        value: String(record.value),
      });
    }
    this.afterWrite?.(range);
  }

  /** Every value exactly once, nothing else. */
  expectExactly(values: readonly string[]): void {
    expect([...this.values.values()].sort()).toEqual([...values].sort());
    expect([...this.writes.values()].every((n) => n === 1)).toBe(true);
  }
}

/** How the contract gets logs of one adapter. */
export interface LogAdapterUnderTest {
  /** Partitions the adapter creates topics with (at least 3). */
  partitions: number;
  /** A log on fresh storage (embedded: a new folder; Kafka: a new client). */
  open(): Promise<MessageLog>;
  /** Closes `log` and opens a new instance on the same storage. */
  reopen(log: MessageLog): Promise<MessageLog>;
  /** Releases what `open` made (folders). */
  cleanUp?(): Promise<void>;
}

const publishTimeout = { timeoutMs: 20_000 };
const fast = { maxWaitMs: 100, retry: { initialMs: 20, maxMs: 100 } };

/** Publishes `values` keyed `key(i)`, in batches of `batch` records (like the ingest API). */
async function publishValues(
  log: MessageLog,
  topic: string,
  values: readonly string[],
  key: (i: number) => string,
  batch = 100,
): Promise<void> {
  for (let start = 0; start < values.length; start += batch) {
    await log.publish(
      [
        {
          topic,
          messages: values.slice(start, start + batch).map((value, j) => ({
            key: key(start + j),
            value,
            headers: { 'content-type': 'text/plain', n: String(start + j) },
          })),
        },
      ],
      publishTimeout,
    );
  }
}

const numbered = (prefix: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${from + i}`);

/** Consumes `topic` with `options` into `sink` until it holds `count` records, then stops. */
async function consumeUntil(
  log: MessageLog,
  options: Omit<PartitionConsumerOptions, 'sink'> & { sink: MemorySink },
  count: number,
): Promise<void> {
  const running = await log.consume({ ...fast, ...options });
  try {
    await waitFor(() => expect(options.sink.values.size).toBe(count), { timeoutMs: 40_000 });
  } finally {
    await running.stop();
  }
}

/** Declares the contract tests of the messaging port for one adapter. */
export function describeMessageLogContract(name: string, adapter: LogAdapterUnderTest): void {
  describe(`${name} (MessageLog contract)`, () => {
    let log: MessageLog;

    beforeEach(async () => {
      log = await adapter.open();
    });

    afterEach(async () => {
      await log.close();
      await adapter.cleanUp?.();
    });

    describe('publish', () => {
      it('keeps each key on one partition, its records in publish order, across a reopen', async () => {
        const topic = uniqueName('contract-order');
        await log.ensureTopics([topic]);
        const key = (i: number) => `subject-${i % 23}`;
        await publishValues(log, topic, numbered('a', 230), key, 37);
        log = await adapter.reopen(log);
        await publishValues(log, topic, numbered('a', 230, 230), key, 37);

        const sink = new MemorySink();
        await consumeUntil(log, { groupId: uniqueName('g'), topic, sink }, 460);
        sink.expectExactly(numbered('a', 460));
        const byKey = new Map<string, { partitions: Set<number>; order: number[] }>();
        for (const record of sink.log) {
          const entry = byKey.get(record.key ?? '') ?? { partitions: new Set(), order: [] };
          entry.partitions.add(record.partition);
          entry.order.push(Number(record.value.split('-')[1]));
          byKey.set(record.key ?? '', entry);
        }
        expect(byKey.size).toBe(23);
        for (const { partitions, order } of byKey.values()) {
          expect(partitions.size).toBe(1);
          expect(order).toEqual([...order].sort((a, b) => a - b));
        }
        // Keys spread over more than one partition.
        const used = new Set(sink.log.map((r) => r.partition));
        expect(used.size).toBeGreaterThan(1);
      });

      it('hands records back with their key, value and headers', async () => {
        const topic = uniqueName('contract-fields');
        await log.publish(
          [
            {
              topic,
              messages: [{ key: 'k-1', value: '{"a":"ü"}', headers: { schema: 'x@1', n: '' } }],
            },
          ],
          publishTimeout,
        );
        const seen: ConsumedRecord[] = [];
        const sink = new MemorySink();
        const running = await log.consume({
          ...fast,
          groupId: uniqueName('g'),
          topic,
          sink: {
            storedUpTo: (t, p) => sink.storedUpTo(t, p),
            write: async (range, records) => {
              seen.push(...records);
              await sink.write(range, records);
            },
          },
        });
        try {
          await waitFor(() => expect(seen).toHaveLength(1));
        } finally {
          await running.stop();
        }
        expect(seen[0].key).toBe('k-1');
        expect(String(seen[0].value)).toBe('{"a":"ü"}');
        expect(seen[0].headers).toEqual({ schema: 'x@1', n: '' });
        expect(seen[0].offset).toBe('0');
      });

      it('reads everything exactly once from a new instance on the same storage', async () => {
        const topic = uniqueName('contract-reopen');
        await publishValues(log, topic, numbered('r', 500), (i) => `k${i % 50}`);
        log = await adapter.reopen(log);
        const sink = new MemorySink();
        await consumeUntil(log, { groupId: uniqueName('g'), topic, sink }, 500);
        sink.expectExactly(numbered('r', 500));
      });
    });

    describe('endOffsets', () => {
      it('gives the next offset of every partition: zero when empty, then the records in it', async () => {
        const topic = uniqueName('contract-ends');
        await log.ensureTopics([topic]);
        const empty = await log.endOffsets(topic);
        expect([...empty.keys()].sort()).toEqual(
          Array.from({ length: adapter.partitions }, (_, p) => p),
        );
        expect([...empty.values()].every((end) => end === 0n)).toBe(true);

        await publishValues(log, topic, numbered('e', 120), (i) => `k${i % 7}`, 40);
        const ends = await log.endOffsets(topic);
        const sink = new MemorySink();
        await consumeUntil(log, { groupId: uniqueName('g'), topic, sink }, 120);
        const perPartition = new Map<number, number>();
        for (const r of sink.log)
          perPartition.set(r.partition, (perPartition.get(r.partition) ?? 0) + 1);
        for (const [partition, end] of ends)
          expect(Number(end)).toBe(perPartition.get(partition) ?? 0);
      });
    });

    describe('consume', () => {
      it('resumes a group from its committed offsets after a stop and a start', async () => {
        const topic = uniqueName('contract-resume');
        const groupId = uniqueName('g');
        await publishValues(log, topic, numbered('x', 150), (i) => `k${i}`);
        await consumeUntil(log, { groupId, topic, sink: new MemorySink() }, 150);
        await publishValues(log, topic, numbered('y', 60), (i) => `k${i}`);
        // A sink that holds nothing: only the committed offsets keep the old records out.
        const later = new MemorySink();
        const running = await log.consume({ ...fast, groupId, topic, sink: later });
        try {
          await waitFor(() => expect(later.values.size).toBe(60));
          await new Promise((resolve) => setTimeout(resolve, 300));
          later.expectExactly(numbered('y', 60));
        } finally {
          await running.stop();
        }
      });

      it('retries a failing sink with the same range and commits only after it wrote', async () => {
        const topic = uniqueName('contract-retry');
        const groupId = uniqueName('g');
        await publishValues(log, topic, numbered('f', 200), (i) => `k${i % 11}`);
        const sink = new MemorySink();
        sink.failNext = 3;
        const errors: OffsetRange[] = [];
        await consumeUntil(
          log,
          { groupId, topic, sink, maxRangeSize: 30, onError: (_e, range) => errors.push(range) },
          200,
        );
        sink.expectExactly(numbered('f', 200));
        expect(errors).toHaveLength(3);
        // Everything committed: a restart with an empty sink gets nothing.
        const again = new MemorySink();
        const running = await log.consume({ ...fast, groupId, topic, sink: again });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await running.stop();
        expect(again.values.size).toBe(0);
      });

      it('writes exactly once across a crash between the sink write and the offset commit', async () => {
        const topic = uniqueName('contract-crash');
        const groupId = uniqueName('g');
        await publishValues(log, topic, numbered('c', 600), (i) => `k${i % 29}`);
        const sink = new MemorySink();
        let lost: OffsetRange | undefined;
        let writes = 0;
        const first = await log.consume({ ...fast, groupId, topic, sink, maxRangeSize: 40 });
        // The member "dies" right after its second write, before it can commit it.
        sink.afterWrite = (range) => {
          writes += 1;
          if (writes === 2) {
            lost = range;
            void first.stop();
            throw new Error('process died after the write, before the commit');
          }
        };
        await waitFor(() => expect(lost).toBeDefined(), { timeoutMs: 30_000 });
        await first.stop();
        sink.afterWrite = undefined;
        expect(sink.values.size).toBeLessThan(600);

        const skipped: Array<{ partition: number; records: number }> = [];
        await consumeUntil(
          log,
          {
            groupId,
            topic,
            sink,
            maxRangeSize: 7,
            maxBytesPerPartition: 1024,
            onSkipped: (s) => skipped.push(s),
          },
          600,
        );
        sink.expectExactly(numbered('c', 600));
        const { partition, firstOffset, lastOffset } = lost as OffsetRange;
        expect(skipped.every((s) => s.partition === partition)).toBe(true);
        expect(skipped.reduce((sum, s) => sum + s.records, 0)).toBe(
          Number(lastOffset) - Number(firstOffset) + 1,
        );
      }, 90_000);

      it('splits partitions between two members and consumes everything once as one leaves', async () => {
        const topic = uniqueName('contract-members');
        const groupId = uniqueName('g');
        await log.ensureTopics([topic]);
        const sink = new MemorySink();
        const wrote = { a: new Set<number>(), b: new Set<number>() };
        const member = (name: 'a' | 'b'): PartitionSink => ({
          storedUpTo: (t, p) => sink.storedUpTo(t, p),
          write: async (range, records) => {
            wrote[name].add(range.partition);
            await sink.write(range, records);
          },
        });
        const a = await log.consume({ ...fast, groupId, topic, sink: member('a') });
        const b = await log.consume({ ...fast, groupId, topic, sink: member('b') });
        let running: RunningConsumer[] = [a, b];
        try {
          let published = 0;
          await waitFor(
            async () => {
              const values = numbered('m', 60, published);
              await publishValues(log, topic, values, (i) => `k${published + i}`);
              published += values.length;
              expect(wrote.a.size).toBeGreaterThan(0);
              expect(wrote.b.size).toBeGreaterThan(0);
            },
            { timeoutMs: 40_000, intervalMs: 300 },
          );
          // Split: no partition written by both while both were members.
          expect([...wrote.a].filter((p) => wrote.b.has(p))).toEqual([]);
          await waitFor(() => expect(sink.values.size).toBe(published), { timeoutMs: 40_000 });
          await a.stop();
          running = [b];
          wrote.b.clear();
          const more = numbered('m', 300, published);
          await publishValues(log, topic, more, (i) => `k${published + i}`);
          published += more.length;
          await waitFor(() => expect(sink.values.size).toBe(published), { timeoutMs: 40_000 });
          sink.expectExactly(numbered('m', published));
          // The remaining member took over every partition.
          expect(wrote.b.size).toBe(adapter.partitions);
        } finally {
          await Promise.all(running.map((r) => r.stop()));
        }
      }, 120_000);
    });

    describe('resetGroupOffsets', () => {
      it('moves an inactive group to a timestamp and to the earliest offsets', async () => {
        const topic = uniqueName('contract-reset');
        const groupId = uniqueName('g');
        await publishValues(log, topic, numbered('old', 50), (i) => `k${i}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const at = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await publishValues(log, topic, numbered('new', 30), (i) => `k${i}`);
        await consumeUntil(log, { groupId, topic, sink: new MemorySink() }, 80);

        const toTime = await log.resetGroupOffsets({
          groupId,
          topic,
          target: { kind: 'timestamp', at },
        });
        const ends = await log.endOffsets(topic);
        expect(toTime.map((p) => p.partition)).toEqual([...ends.keys()].sort((x, y) => x - y));
        for (const p of toTime) expect(p.from).toBe(ends.get(p.partition)?.toString());
        const sinceThen = new MemorySink();
        await consumeUntil(log, { groupId, topic, sink: sinceThen }, 30);
        sinceThen.expectExactly(numbered('new', 30));

        const toStart = await log.resetGroupOffsets({
          groupId,
          topic,
          target: { kind: 'earliest' },
        });
        expect(toStart.every((p) => p.to === '0')).toBe(true);
        const everything = new MemorySink();
        await consumeUntil(log, { groupId, topic, sink: everything }, 80);
        everything.expectExactly([...numbered('old', 50), ...numbered('new', 30)]);
      }, 90_000);

      it('refuses while the group has a member, and offsets outside the log', async () => {
        const topic = uniqueName('contract-active');
        const groupId = uniqueName('g');
        await publishValues(log, topic, numbered('v', 20), (i) => `k${i}`);
        const sink = new MemorySink();
        const running = await log.consume({ ...fast, groupId, topic, sink });
        try {
          await waitFor(() => expect(sink.values.size).toBe(20));
          await expect(
            log.resetGroupOffsets({ groupId, topic, target: { kind: 'earliest' } }),
          ).rejects.toBeInstanceOf(GroupActiveError);
          await expect(log.assertGroupInactive(groupId)).rejects.toBeInstanceOf(GroupActiveError);
        } finally {
          await running.stop();
        }
        await expect(log.assertGroupInactive(groupId)).resolves.toBeUndefined();
        await expect(
          log.resetGroupOffsets({
            groupId,
            topic,
            target: { kind: 'offsets', offsets: [{ partition: 0, offset: '1000000' }] },
          }),
        ).rejects.toThrow(/outside/);
      });
    });
  });
}
