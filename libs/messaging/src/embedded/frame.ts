import { crc32 } from 'node:zlib';

/** One stored record, as appended and as read back. */
export interface LogRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * A record on disk: `u32 body length | u32 CRC32 of the body | body`, big-endian, where the body
 * is `i64 offset | f64 timestamp (epoch ms) | i32 key length (-1: none) | key | u32 value length |
 * value | u16 header count | (u16 name length | name | u32 value length | value)*`. The length and
 * CRC let a reader tell a whole frame from a torn one (a crash mid-write).
 */
export const FRAME_HEADER = 8;

/** A record to append: the value as written by the publisher. */
export interface NewRecord {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/**
 * Frames of consecutive records, from `firstOffset` on, all stamped `timestamp`, in one buffer,
 * with each frame's start in it. Strings are written straight into the buffer (no copies).
 */
export function encodeFrames(
  records: readonly NewRecord[],
  firstOffset: number,
  timestamp: number,
): { buffer: Buffer; starts: number[] } {
  const sizes = records.map((record) => {
    let size = 8 + 8 + 4 + 4 + 2 + Buffer.byteLength(record.value);
    if (record.key !== null) size += Buffer.byteLength(record.key);
    for (const name in record.headers)
      size += 2 + Buffer.byteLength(name) + 4 + Buffer.byteLength(record.headers[name]);
    return size;
  });
  const buffer = Buffer.allocUnsafe(sizes.reduce((sum, size) => sum + FRAME_HEADER + size, 0));
  const starts: number[] = [];
  let at = 0;
  for (const [i, record] of records.entries()) {
    const start = at;
    starts.push(start);
    at = buffer.writeUInt32BE(sizes[i], at);
    at += 4; // the CRC, once the body is written
    at = buffer.writeBigInt64BE(BigInt(firstOffset + i), at);
    at = buffer.writeDoubleBE(timestamp, at);
    at = writeString(buffer, record.key, at, 4);
    at = writeString(buffer, record.value, at, 4);
    const names = Object.keys(record.headers);
    at = buffer.writeUInt16BE(names.length, at);
    for (const name of names) {
      at = writeString(buffer, name, at, 2);
      at = writeString(buffer, record.headers[name], at, 4);
    }
    buffer.writeUInt32BE(crc32(buffer.subarray(start + FRAME_HEADER, at)), start + 4);
  }
  return { buffer, starts };
}

/** A length-prefixed UTF-8 string (null: length -1); returns the position after it. */
function writeString(buffer: Buffer, text: string | null, at: number, prefix: 2 | 4): number {
  if (text === null) return buffer.writeInt32BE(-1, at);
  const length = buffer.write(text, at + prefix);
  if (prefix === 2) buffer.writeUInt16BE(length, at);
  else buffer.writeUInt32BE(length, at);
  return at + prefix + length;
}

/**
 * The whole, intact frame at `at` of `data`, and its size; undefined where the frame is cut off or
 * its CRC does not match (a torn tail).
 */
export function frameAt(data: Buffer, at: number): { body: Buffer; size: number } | undefined {
  if (at + FRAME_HEADER > data.length) return undefined;
  const length = data.readUInt32BE(at);
  const end = at + FRAME_HEADER + length;
  if (length < 26 || end > data.length) return undefined;
  const body = data.subarray(at + FRAME_HEADER, end);
  if (crc32(body) !== data.readUInt32BE(at + 4)) return undefined;
  return { body, size: FRAME_HEADER + length };
}

/** Offset and timestamp of a frame body, without decoding the rest. */
export function frameStamp(body: Buffer): { offset: number; timestamp: number } {
  return { offset: Number(body.readBigInt64BE(0)), timestamp: body.readDoubleBE(8) };
}

export function decodeFrame(body: Buffer): LogRecord {
  const { offset, timestamp } = frameStamp(body);
  let at = 16;
  const keyLength = body.readInt32BE(at);
  at += 4;
  const key = keyLength < 0 ? null : body.toString('utf8', at, at + keyLength);
  at += Math.max(0, keyLength);
  const valueLength = body.readUInt32BE(at);
  at += 4;
  const value = Buffer.from(body.subarray(at, at + valueLength));
  at += valueLength;
  const count = body.readUInt16BE(at);
  at += 2;
  const headers: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const nameLength = body.readUInt16BE(at);
    const name = body.toString('utf8', at + 2, at + 2 + nameLength);
    at += 2 + nameLength;
    const valueLengthH = body.readUInt32BE(at);
    headers[name] = body.toString('utf8', at + 4, at + 4 + valueLengthH);
    at += 4 + valueLengthH;
  }
  return { offset, timestamp, key, value, headers };
}
