import { mkdir, open, readdir, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeFrame,
  encodeFrames,
  frameAt,
  frameStamp,
  type LogRecord,
  type NewRecord,
} from './frame';
import { syncFolder } from './files';

/** A segment file: records from `base` on, with each record's file position and timestamp. */
interface Segment {
  base: number;
  path: string;
  handle: FileHandle;
  /** Bytes of whole, durable frames. */
  size: number;
  positions: number[];
  timestamps: number[];
}

/** What open found: how many bytes of a torn tail it cut off (0: none). */
export interface OpenReport {
  truncatedBytes: number;
}

const SEGMENT_NAME = /^(\d{20})\.log$/;

/** The staged, not yet durable part of an append (see `stage`). */
export interface StagedAppend {
  partition: PartitionLog;
  segment: Segment;
  rolled: boolean;
  frames: Buffer;
  positions: number[];
  timestamps: number[];
}

/**
 * One partition of a topic: append-only segment files `<base offset>.log` in its folder, rolled
 * at `segmentBytes`, and an in-memory index (file position and timestamp per record) rebuilt by
 * scanning the files on open. Records become visible to readers only once fsynced, so nothing a
 * consumer saw can disappear in a crash.
 */
export class PartitionLog {
  private segments: Segment[] = [];
  /** The next offset to be appended (everything below is durable). */
  private next = 0;
  /** Last timestamp given out: kept non-decreasing, so a timestamp search can bisect. */
  private lastTimestamp = 0;

  private constructor(
    readonly folder: string,
    private readonly segmentBytes: number,
  ) {}

  static async open(
    folder: string,
    segmentBytes: number,
  ): Promise<{ log: PartitionLog; report: OpenReport }> {
    await mkdir(folder, { recursive: true });
    const log = new PartitionLog(folder, segmentBytes);
    const names = (await readdir(folder)).filter((name) => SEGMENT_NAME.test(name)).sort();
    let truncatedBytes = 0;
    for (const [index, name] of names.entries()) {
      const last = index === names.length - 1;
      truncatedBytes += await log.load(join(folder, name), Number(name.slice(0, 20)), last);
    }
    if (log.segments.length === 0) {
      await log.roll();
      await syncFolder(folder); // the first segment's entry survives a power loss too
    }
    return { log, report: { truncatedBytes } };
  }

  /** Scans a segment, indexing its whole frames; a torn tail of the last one is cut off. */
  private async load(path: string, base: number, last: boolean): Promise<number> {
    const data = await readFile(path);
    const segment: Segment = {
      base,
      path,
      handle: await open(path, 'r+'),
      size: 0,
      positions: [],
      timestamps: [],
    };
    let at = 0;
    while (at < data.length) {
      const frame = frameAt(data, at);
      const stamp = frame && frameStamp(frame.body);
      if (!frame || !stamp || stamp.offset !== base + segment.positions.length) break;
      segment.positions.push(at);
      segment.timestamps.push(stamp.timestamp);
      this.lastTimestamp = Math.max(this.lastTimestamp, stamp.timestamp);
      at += frame.size;
    }
    if (at < data.length) {
      if (!last) {
        await segment.handle.close();
        throw new Error(
          `embedded log segment ${path} is damaged at byte ${at} and is not the last one: refusing to guess; restore it or remove the partition`,
        );
      }
      // A crash mid-write: the frames after `at` were never acknowledged (publish waits for the
      // fsync), so cutting them off loses nothing that was promised.
      await segment.handle.truncate(at);
      await segment.handle.sync();
    }
    segment.size = at;
    this.segments.push(segment);
    this.next = base + segment.positions.length;
    return data.length - at;
  }

  private async roll(): Promise<Segment> {
    const path = join(this.folder, `${String(this.next).padStart(20, '0')}.log`);
    const segment: Segment = {
      base: this.next,
      path,
      handle: await open(path, 'wx+'),
      size: 0,
      positions: [],
      timestamps: [],
    };
    this.segments.push(segment);
    return segment;
  }

  /** First offset still retained (no retention yet: 0 unless the folder started later). */
  get start(): number {
    return this.segments[0]?.base ?? 0;
  }

  /** The next offset to be written (the high watermark). */
  get end(): number {
    return this.next;
  }

  /**
   * Encodes and writes records after the current end, without making them visible: the caller
   * fsyncs (`sync`) and then `commit`s, or `abort`s on failure. One append at a time.
   */
  async stage(records: readonly NewRecord[]): Promise<StagedAppend> {
    let segment = this.segments[this.segments.length - 1];
    let rolled = false;
    if (segment.size >= this.segmentBytes && segment.positions.length > 0) {
      segment = await this.roll();
      rolled = true;
    }
    const now = Math.max(Date.now(), this.lastTimestamp);
    const { buffer, starts } = encodeFrames(records, this.next, now);
    await segment.handle.write(buffer, 0, buffer.length, segment.size);
    return {
      partition: this,
      segment,
      rolled,
      frames: buffer,
      positions: starts.map((start) => segment.size + start),
      timestamps: starts.map(() => now),
    };
  }

  /** Makes a staged append durable: the segment's data, and its folder entry when new. */
  async sync(staged: StagedAppend): Promise<void> {
    await staged.segment.handle.datasync();
    if (staged.rolled) await syncFolder(this.folder);
  }

  /** Makes a durable append visible to readers. */
  commit(staged: StagedAppend): void {
    const { segment } = staged;
    segment.size += staged.frames.length;
    segment.positions.push(...staged.positions);
    segment.timestamps.push(...staged.timestamps);
    this.next += staged.positions.length;
    this.lastTimestamp = staged.timestamps[staged.timestamps.length - 1] ?? this.lastTimestamp;
  }

  /** Undoes a failed append: cut the segment back to its durable size. */
  async abort(staged: StagedAppend): Promise<void> {
    await staged.segment.handle.truncate(staged.segment.size).catch(() => undefined);
  }

  /**
   * Records from `from` on, up to `maxBytes` of frames (at least one record when there is one,
   * as Kafka does, so one large record cannot stall a consumer). Stops at a segment's end.
   */
  async read(from: number, maxBytes: number): Promise<{ records: LogRecord[]; bytes: number }> {
    if (from >= this.next || from < this.start) return { records: [], bytes: 0 };
    const segment = this.segmentOf(from);
    const first = from - segment.base;
    const startAt = segment.positions[first];
    let count = 1;
    while (
      first + count < segment.positions.length &&
      positionAfter(segment, first + count) - startAt <= maxBytes
    )
      count += 1;
    const endAt = positionAfter(segment, first + count - 1);
    const data = Buffer.allocUnsafe(endAt - startAt);
    await segment.handle.read(data, 0, data.length, startAt);
    const records: LogRecord[] = [];
    let at = 0;
    while (at < data.length) {
      const frame = frameAt(data, at);
      if (!frame) throw new Error(`embedded log segment ${segment.path} changed under a reader`);
      records.push(decodeFrame(frame.body));
      at += frame.size;
    }
    return { records, bytes: data.length };
  }

  /** The first offset whose timestamp is at or after `at`; the end when none is. */
  offsetAt(at: number): number {
    for (const segment of this.segments) {
      const { timestamps } = segment;
      if (timestamps.length === 0 || timestamps[timestamps.length - 1] < at) continue;
      let low = 0;
      let high = timestamps.length - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (timestamps[middle] >= at) high = middle;
        else low = middle + 1;
      }
      return segment.base + low;
    }
    return this.next;
  }

  private segmentOf(offset: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.segments[middle].base <= offset) low = middle;
      else high = middle - 1;
    }
    return this.segments[low];
  }

  async close(): Promise<void> {
    for (const segment of this.segments) await segment.handle.close();
    this.segments = [];
  }
}

/** File position just after record `index` of a segment. */
function positionAfter(segment: Segment, index: number): number {
  return index + 1 < segment.positions.length ? segment.positions[index + 1] : segment.size;
}
