import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestError } from './ingest-error';

/**
 * Reads a request body into memory, never more than `maxBytes` — before and after gzip decoding,
 * so a small compressed bomb cannot expand past the limit. Stops reading as soon as it is over.
 */
export async function readBody(
  request: Readable,
  encoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc !== 'identity' && enc !== 'gzip') {
    throw new IngestError(
      'unsupported_encoding',
      `Content-Encoding '${enc}' is not supported; send gzip or no encoding`,
    );
  }
  const source: Readable = enc === 'gzip' ? request.pipe(createGunzip()) : request;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        request.unpipe();
        request.resume(); // drain the rest without keeping it
        throw new IngestError(
          'payload_too_large',
          `the body is larger than ${maxBytes} bytes${enc === 'gzip' ? ' once decompressed' : ''}; split it into several requests`,
        );
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof IngestError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new IngestError(
      'invalid_body',
      enc === 'gzip'
        ? `the gzip body could not be decoded: ${reason}`
        : `the body could not be read: ${reason}`,
    );
  }
  return Buffer.concat(chunks, size);
}
