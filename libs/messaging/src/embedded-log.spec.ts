import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { spawnTypeScript, tempDir, type TempDir, waitFor } from '@tributary/testing';
import { EmbeddedLog } from './embedded/embedded-log';
import { LogLockedError } from './embedded/log-lock';
import { partitionFor } from './embedded/murmur2';
import type { OffsetRange } from './partition-consumer';
import { describeMessageLogContract, MemorySink } from './message-log.contract';

const fixture = (name: string) => join(__dirname, 'embedded', 'fixtures', name);

describeMessageLogContract(
  EmbeddedLog.name,
  (() => {
    let dirs: TempDir[] = [];
    return {
      partitions: 3,
      open: async () => {
        const dir = tempDir('embedded-log');
        dirs.push(dir);
        return EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      },
      reopen: async (log) => {
        await log.close();
        return EmbeddedLog.open({ folder: (log as EmbeddedLog).folder, topicPartitions: 3 });
      },
      cleanUp: async () => {
        for (const dir of dirs) dir.remove();
        dirs = [];
      },
    };
  })(),
);

/** Every record of a topic, read with a fresh group until the end offsets are reached. */
async function readAll(log: EmbeddedLog, topic: string): Promise<MemorySink> {
  const total = [...(await log.endOffsets(topic)).values()].reduce((a, b) => a + Number(b), 0);
  const sink = new MemorySink();
  const running = await log.consume({ groupId: `read-${Date.now()}`, topic, sink, maxWaitMs: 50 });
  try {
    await waitFor(() => expect(sink.values.size).toBe(total), { timeoutMs: 30_000 });
  } finally {
    await running.stop();
  }
  return sink;
}

/** The single segment file of partition 0 of a one-key topic. */
function segmentOf(folder: string, topic: string): string {
  const partitions = join(folder, 'topics', topic);
  for (const partition of readdirSync(partitions).filter((p) => /^\d+$/.test(p))) {
    const dir = join(partitions, partition);
    const [segment] = readdirSync(dir);
    if (segment && statSync(join(dir, segment)).size > 0) return join(dir, segment);
  }
  throw new Error(`no segment with records under ${partitions}`);
}

describe(EmbeddedLog.name, () => {
  let dir: TempDir;
  const publish = (log: EmbeddedLog, topic: string, values: string[]) =>
    log.publish(
      [{ topic, messages: values.map((value) => ({ key: 'one', value, headers: {} })) }],
      {
        timeoutMs: 10_000,
      },
    );

  beforeEach(() => {
    dir = tempDir('embedded-log');
  });

  afterEach(() => dir.remove());

  describe('open', () => {
    it('cuts off a torn tail (garbage after the last frame) and keeps every whole record', async () => {
      let log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      await publish(log, 'torn', ['a', 'b', 'c']);
      await log.close();
      appendFileSync(segmentOf(dir.path, 'torn'), Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 5]));

      const torn: number[] = [];
      log = await EmbeddedLog.open({
        folder: dir.path,
        topicPartitions: 3,
        onTornTail: ({ bytes }) => torn.push(bytes),
      });
      try {
        expect(torn).toEqual([9]);
        await publish(log, 'torn', ['d']);
        const sink = await readAll(log, 'torn');
        sink.expectExactly(['a', 'b', 'c', 'd']);
        expect(sink.log.map((r) => r.offset)).toEqual(['0', '1', '2', '3']);
      } finally {
        await log.close();
      }
    });

    it('drops a last frame cut short by a crash, and appends after the whole ones', async () => {
      let log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      await publish(log, 'cut', ['a', 'b', 'c']);
      await log.close();
      const segment = segmentOf(dir.path, 'cut');
      truncateSync(segment, statSync(segment).size - 3);

      log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      try {
        expect([...(await log.endOffsets('cut')).values()].reduce((a, b) => a + b)).toBe(2n);
        await publish(log, 'cut', ['c2']);
        (await readAll(log, 'cut')).expectExactly(['a', 'b', 'c2']);
      } finally {
        await log.close();
      }
    });

    it('refuses to open a damaged segment that is not the last one', async () => {
      const log = await EmbeddedLog.open({
        folder: dir.path,
        topicPartitions: 1,
        segmentBytes: 64,
      });
      await publish(log, 'rolled', ['a'.repeat(80)]);
      await publish(log, 'rolled', ['b']);
      await log.close();
      // Bytes after the frames of the first segment: not the last one, so damage, not a torn tail.
      appendFileSync(segmentOf(dir.path, 'rolled'), Buffer.from('X'));
      await expect(
        EmbeddedLog.open({ folder: dir.path, topicPartitions: 1, segmentBytes: 64 }),
      ).rejects.toThrow(/is damaged at byte .* and is not the last one/);
    });

    it('rolls segments at the configured size and reads across them', async () => {
      const log = await EmbeddedLog.open({
        folder: dir.path,
        topicPartitions: 1,
        segmentBytes: 200,
      });
      try {
        for (let i = 0; i < 20; i++) await publish(log, 'roll', [`value-${i}`]);
        expect(readdirSync(join(dir.path, 'topics', 'roll', '0')).length).toBeGreaterThan(3);
        const sink = await readAll(log, 'roll');
        sink.expectExactly(Array.from({ length: 20 }, (_, i) => `value-${i}`));
        expect(sink.log.map((r) => r.value)).toEqual(
          Array.from({ length: 20 }, (_, i) => `value-${i}`),
        );
      } finally {
        await log.close();
      }
    });
  });

  describe('consume', () => {
    it('lets a member whose partition was revoked mid-write commit nothing; the new owner skips what the sink holds', async () => {
      const log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let admit: () => void = () => undefined;
      const admitted = new Promise<void>((resolve) => (admit = resolve));
      try {
        const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
        const onOne = keys.filter((k) => partitionFor(k, 3) === 1).slice(0, 30);
        const elsewhere = keys.filter((k) => partitionFor(k, 3) !== 1).slice(0, 30);
        await log.publish(
          [
            {
              topic: 'revoke',
              messages: [...onOne, ...elsewhere].map((key) => ({ key, value: key, headers: {} })),
            },
          ],
          { timeoutMs: 10_000 },
        );
        const sink = new MemorySink();
        let blocked: OffsetRange | undefined;
        let revokedWriteDone = false;
        const first = await log.consume({
          groupId: 'g',
          topic: 'revoke',
          maxWaitMs: 50,
          sink: {
            storedUpTo: (t, p) => sink.storedUpTo(t, p),
            write: async (range, records) => {
              await sink.write(range, records);
              if (range.partition === 1 && !blocked) {
                blocked = range; // written, not yet acknowledged: partition 1 moves meanwhile
                await gate;
                revokedWriteDone = true;
              }
            },
          },
        });
        await waitFor(() => expect(blocked).toBeDefined());
        // The new owner is held before it looks at partition 1, so only the old one could commit.
        const skipped: Array<{ partition: number; records: number }> = [];
        const second = await log.consume({
          groupId: 'g',
          topic: 'revoke',
          maxWaitMs: 50,
          sink: {
            storedUpTo: async (t, p) => {
              if (p === 1) await admitted;
              return sink.storedUpTo(t, p);
            },
            write: (range, records) => sink.write(range, records),
          },
          onSkipped: (s) => skipped.push(s),
        });
        release();
        await waitFor(() => expect(revokedWriteDone).toBe(true));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const groupFile = join(dir.path, 'groups', 'g.json');
        const committed = () =>
          (JSON.parse(readFileSync(groupFile, 'utf8')) as Record<string, Record<string, number>>)[
            'revoke'
          ];
        expect(committed()['1']).toBeUndefined(); // the revoked member committed nothing
        admit();
        await waitFor(() => expect(committed()['1']).toBe(30));
        await Promise.all([first.stop(), second.stop()]);
        sink.expectExactly([...onOne, ...elsewhere]);
        // The new owner skipped the range the old one wrote but did not commit, then committed it.
        const range = blocked as OffsetRange;
        expect(skipped).toEqual([
          {
            topic: 'revoke',
            partition: 1,
            records: Number(range.lastOffset) - Number(range.firstOffset) + 1,
          },
        ]);
        // Everything is committed now: the group has nothing left to read.
        const again = new MemorySink();
        const third = await log.consume({
          groupId: 'g',
          topic: 'revoke',
          maxWaitMs: 50,
          sink: again,
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await third.stop();
        expect(again.values.size).toBe(0);
      } finally {
        release();
        admit();
        await log.close();
      }
    });
  });

  describe('lock', () => {
    it('refuses a second process naming the folder and holder pid, and takes over after it died', async () => {
      const holder = spawnTypeScript(fixture('hold-log.ts'), [dir.path]);
      try {
        let out = '';
        holder.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        await waitFor(() => expect(out).toContain('open'), { timeoutMs: 30_000 });
        const refused = EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
        await expect(refused).rejects.toBeInstanceOf(LogLockedError);
        await expect(refused).rejects.toThrow(
          `the embedded log at ${dir.path} is in use by process ${holder.pid}`,
        );
      } finally {
        holder.kill('SIGKILL');
      }
      await new Promise((resolve) => holder.once('close', resolve));
      // The holder's lock is stale now: taken over.
      const log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      await log.close();
    });

    it('is refused to a child process while this process holds the folder', async () => {
      const log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      try {
        const child = spawnTypeScript(fixture('hold-log.ts'), [dir.path]);
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const code = await new Promise((resolve) => child.once('close', resolve));
        expect(code).toBe(3);
        expect(out).toContain(
          `refused the embedded log at ${dir.path} is in use by process ${process.pid}`,
        );
      } finally {
        await log.close();
      }
    });

    it('takes over a lock file left by a process that no longer runs', async () => {
      writeFileSync(join(dir.path, 'LOCK'), '2147483646\n');
      const log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      await log.close();
    });
  });

  describe('publish', () => {
    it('keeps every acknowledged record, exactly once, when the publisher is killed with SIGKILL', async () => {
      const child = spawnTypeScript(fixture('publish-loop.ts'), [dir.path, 'crash']);
      const acknowledged: Array<[number, number]> = [];
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const [, first, last] = line.split(' ');
          acknowledged.push([Number(first), Number(last)]);
        }
      });
      try {
        await waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(40), {
          timeoutMs: 60_000,
        });
      } finally {
        child.kill('SIGKILL');
      }
      await new Promise((resolve) => child.once('close', resolve));
      const acked = acknowledged.flatMap(([first, last]) =>
        Array.from({ length: last - first + 1 }, (_, i) => String(first + i)),
      );

      const log = await EmbeddedLog.open({ folder: dir.path, topicPartitions: 3 });
      try {
        const sink = await readAll(log, 'crash');
        const values = [...sink.values.values()];
        expect(new Set(values).size).toBe(values.length); // no copies
        const present = new Set(values);
        expect(acked.filter((id) => !present.has(id))).toEqual([]); // nothing acknowledged lost
        expect(acked.length).toBeGreaterThanOrEqual(2_000);
      } finally {
        await log.close();
      }
    }, 90_000);
  });
});
