import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { ConnectorError } from '../run/connector-error';

/** How the connectors reach S3 (or an S3-compatible server). Credentials are never logged. */
export interface S3Access {
  /** S3-compatible server (MinIO, moto, …); unset means AWS. Requests use path-style URLs then. */
  endpoint?: string;
  region: string;
  /** Unset means the SDK's default chain (AWS_* variables, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** One file of a location: `path` and `checksum` are what `connector_files` tracks. */
export interface SourceFile {
  /** The name inside the folder or prefix (what the pattern matched): the rows' table. */
  name: string;
  /** Absolute path, or `s3://bucket/key`. */
  path: string;
  size: number;
  /** SHA-256 of a local file (reads it), the ETag of an S3 object (no read). */
  checksum(): Promise<string>;
  content(): Promise<Buffer>;
}

/** The files of a location whose name matches the pattern, sorted by name. */
export interface FileSource {
  list(matches: RegExp): Promise<SourceFile[]>;
}

export function fileSourceFor(
  connector: string,
  location: string,
  s3: S3Access | undefined,
): FileSource {
  if (!location.startsWith('s3://')) return new FolderSource(resolve(location));
  if (!s3) {
    throw new ConnectorError(
      'not_configured',
      `${connector}: reading ${location} needs S3 access (TRIBUTARY_CONNECTORS_S3_*)`,
    );
  }
  return new S3Source(location, s3);
}

class FolderSource implements FileSource {
  constructor(private readonly folder: string) {}

  async list(matches: RegExp): Promise<SourceFile[]> {
    const names = (await readdir(this.folder)).filter((name) => matches.test(name)).sort();
    return Promise.all(
      names.map(async (name) => {
        const path = join(this.folder, name);
        let content: Promise<Buffer> | undefined;
        const read = () => (content ??= readFile(path));
        return {
          name,
          path,
          size: (await stat(path)).size,
          checksum: async () =>
            createHash('sha256')
              .update(await read())
              .digest('hex'),
          content: read,
        };
      }),
    );
  }
}

/**
 * Objects directly under an `s3://bucket/prefix` (a prefix ending in `/` is a folder; otherwise
 * names start where the prefix ends). Each object is known by key, size and ETag, so an
 * unchanged object is skipped without being downloaded.
 */
class S3Source implements FileSource {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(location: string, access: S3Access) {
    const rest = location.slice('s3://'.length);
    const slash = rest.indexOf('/');
    this.bucket = slash < 0 ? rest : rest.slice(0, slash);
    this.prefix = slash < 0 ? '' : rest.slice(slash + 1);
    this.client = new S3Client({
      region: access.region,
      ...(access.endpoint ? { endpoint: access.endpoint, forcePathStyle: true } : {}),
      ...(access.credentials ? { credentials: access.credentials } : {}),
    });
  }

  async list(matches: RegExp): Promise<SourceFile[]> {
    const files: SourceFile[] = [];
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: this.prefix },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        const name = key.slice(this.prefix.length);
        if (!matches.test(name)) continue;
        const etag = (object.ETag ?? '').replace(/"/g, '');
        files.push({
          name,
          path: `s3://${this.bucket}/${key}`,
          size: object.Size ?? 0,
          checksum: () => Promise.resolve(etag),
          content: () => this.read(key, object.ETag),
        });
      }
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Only the listed version: an object replaced since fails the run (412), read again next run. */
  private async read(key: string, etag: string | undefined): Promise<Buffer> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(etag ? { IfMatch: etag } : {}) }),
    );
    if (!object.Body) throw new Error(`s3://${this.bucket}/${key}: the object has no body`);
    return Buffer.from(await object.Body.transformToByteArray());
  }
}
