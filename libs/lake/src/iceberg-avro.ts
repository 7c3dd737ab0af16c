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

/** Encodes a whole container file in memory (manifests are small), uncompressed. */
export async function encodeAvroFile(file: AvroFile): Promise<Buffer> {
  // avsc writes the schema it is given verbatim into the header, extra attributes (field-id) kept.
  const encoder = new streams.BlockEncoder(
    file.schema as never,
    {
      codec: 'null',
      metadata: file.metadata,
      typeHook: undefined,
    } as never,
  );
  // The schema object is parsed once more with bigint longs for the records themselves.
  (encoder as unknown as { _type: Type })._type = avroType(file.schema);
  const chunks: Buffer[] = [];
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
