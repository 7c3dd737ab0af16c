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

export function encodeFrame(record: LogRecord): Buffer {
  const key = record.key === null ? null : Buffer.from(record.key);
  const headers = Object.entries(record.headers).map(
    ([name, value]) => [Buffer.from(name), Buffer.from(value)] as const,
  );
  let size = 8 + 8 + 4 + (key?.length ?? 0) + 4 + record.value.length + 2;
  for (const [name, value] of headers) size += 2 + name.length + 4 + value.length;
  const frame = Buffer.allocUnsafe(FRAME_HEADER + size);
  let at = FRAME_HEADER;
  at = frame.writeBigInt64BE(BigInt(record.offset), at);
  at = frame.writeDoubleBE(record.timestamp, at);
  at = frame.writeInt32BE(key === null ? -1 : key.length, at);
  if (key) at += key.copy(frame, at);
  at = frame.writeUInt32BE(record.value.length, at);
  at += record.value.copy(frame, at);
  at = frame.writeUInt16BE(headers.length, at);
  for (const [name, value] of headers) {
    at = frame.writeUInt16BE(name.length, at);
    at += name.copy(frame, at);
    at = frame.writeUInt32BE(value.length, at);
    at += value.copy(frame, at);
  }
  frame.writeUInt32BE(size, 0);
  frame.writeUInt32BE(crc32(frame.subarray(FRAME_HEADER)), 4);
  return frame;
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
