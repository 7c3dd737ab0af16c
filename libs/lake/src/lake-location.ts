import { isAbsolute, relative, resolve } from 'node:path';

/**
 * Where the Iceberg tables live. Embedded: a folder, written with ClickHouse's `IcebergLocal`
 * (chDB only reads and writes paths inside the process's working directory, so the folder must be
 * inside it; tables are addressed by absolute path, because the engine writes the path it is given
 * into the Iceberg metadata and other readers resolve it from there). Distributed: an S3 (or MinIO) prefix through `IcebergS3`; credentials come
 * from the ClickHouse server's own configuration (named collection or IAM role), never from here.
 */
export type LakeLocation = { kind: 'local'; root: string } | { kind: 's3'; url: string };

const SAFE_PATH = /^[A-Za-z0-9_.\-/]+$/;
const SAFE_URL = /^https?:\/\/[A-Za-z0-9_.\-:/]+$/;
const TABLE = /^[a-z][a-z0-9_]*$/;

export class LakeLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LakeLocationError';
  }
}

/** Checks a location once, at start-up; the error names what is wrong and the expected form. */
export function checkLakeLocation(location: LakeLocation): LakeLocation {
  if (location.kind === 'local') {
    const root = resolve(location.root);
    const inside = relative(process.cwd(), root);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || !SAFE_PATH.test(root)) {
      throw new LakeLocationError(
        `lake folder '${location.root}' must be a folder inside the working directory ` +
          `(letters, digits, _ . - /), e.g. '.tributary/lake': the embedded engine only writes there`,
      );
    }
    return { kind: 'local', root };
  }
  if (!SAFE_URL.test(location.url)) {
    throw new LakeLocationError(
      `lake URL '${location.url}' must look like https://host[:port]/bucket/prefix`,
    );
  }
  return { kind: 's3', url: location.url.replace(/\/+$/, '') };
}

function tablePath(location: LakeLocation, table: string): string {
  if (!TABLE.test(table)) throw new LakeLocationError(`invalid lake table name '${table}'`);
  const checked = checkLakeLocation(location);
  return checked.kind === 'local' ? `${checked.root}/${table}` : `${checked.url}/${table}/`;
}

/** The folder of a table in a local lake (absolute); undefined for a lake on S3. */
export function localTableFolder(location: LakeLocation, table: string): string | undefined {
  return location.kind === 'local' ? tablePath(location, table) : undefined;
}

/** `ENGINE = …` of a table stored in the lake. */
export function icebergEngine(location: LakeLocation, table: string): string {
  const path = tablePath(location, table);
  return location.kind === 'local' ? `IcebergLocal('${path}')` : `IcebergS3('${path}')`;
}
