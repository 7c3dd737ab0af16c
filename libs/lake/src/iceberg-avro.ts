import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { createFileDecoder, streams, Type, types } from 'avsc';

/** A JSON Avro schema (records, unions, arrays, primitives) as it sits in a file header. */
export type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

/** One Avro object container file: its writer schema, header metadata and records. */
export interface AvroFile {
  schema: AvroSchema;
  /** Header metadata other than `avro.schema` / `avro.codec` (Iceberg keeps `schema`, `partition-spec`… here). */
  metadata: Record<string, Buffer>;
  records: Array<Record<string, unknown>>;
}

/**
 * Iceberg's longs (snapshot ids, sequence numbers) use all 64 bits: read and write them as bigint
 * (avsc's default long refuses anything past 2^53).
 */
const BIGINT_LONG = types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (value: unknown) => BigInt(value as string | number),
  toJSON: (n: bigint) => n.toString(),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

function avroType(schema: AvroSchema): Type {
  return Type.forSchema(schema as never, { registry: { long: BIGINT_LONG } } as never);
}

export async function readAvroFile(path: string): Promise<AvroFile> {
  const records: Array<Record<string, unknown>> = [];
  let schema: AvroSchema | undefined;
  let metadata: Record<string, Buffer> = {};
  await new Promise<void>((resolve, reject) => {
    const decoder = createFileDecoder(path, {
      parseHook: (parsed) => {
        schema = parsed as AvroSchema;
        return avroType(parsed as AvroSchema);
      },
    });
    decoder.on(
      'metadata',
      (_type: unknown, _codec: unknown, header: { meta: Record<string, Buffer> }) => {
        metadata = Object.fromEntries(
          Object.entries(header.meta).filter(([key]) => !key.startsWith('avro.')),
        );
      },
    );
    decoder.on('data', (record: Record<string, unknown>) => records.push(record));
    decoder.on('error', reject);
    decoder.on('end', () => resolve());
  });
  if (schema === undefined) throw new Error(`${path}: no Avro schema in the header`);
  return { schema, metadata, records };
}

/** The object container header, as the Avro spec defines it. */
const HEADER = Type.forSchema({
  type: 'record',
  name: 'org.apache.avro.file.Header',
  fields: [
    { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
    { name: 'meta', type: { type: 'map', values: 'bytes' } },
    { name: 'sync', type: { type: 'fixed', name: 'Sync', size: 16 } },
  ],
});

/**
 * Encodes a whole container file in memory (manifests are small), uncompressed. The header is
 * written here, with the schema exactly as given: avsc's own header drops attributes it does not
 * know, and `field-id` is the point.
 */
export async function encodeAvroFile(file: AvroFile): Promise<Buffer> {
  const sync = randomBytes(16);
  const header = HEADER.toBuffer({
    magic: Buffer.from('Obj\x01', 'latin1'),
    meta: {
      ...file.metadata,
      'avro.schema': Buffer.from(JSON.stringify(file.schema)),
      'avro.codec': Buffer.from('null'),
    },
    sync,
  });
  const encoder = new streams.BlockEncoder(avroType(file.schema), {
    codec: 'null',
    syncMarker: sync,
    writeHeader: 'never',
  });
  const chunks: Buffer[] = [header];
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    encoder.on('error', reject);
    encoder.on('end', () => resolve());
  });
  for (const record of file.records) encoder.write(record);
  encoder.end();
  await done;
  return Buffer.concat(chunks);
}

/** Replaces `path` with `contents` in one rename, so a reader sees the old file or the new one. */
export async function replaceFile(path: string, contents: Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}
