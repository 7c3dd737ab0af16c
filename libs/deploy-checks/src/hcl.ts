import { parse } from '@cdktf/hcl2json';
import { listRepoFiles, readRepoFile } from './repo';
import { isRecord, type Json, list, record } from './yaml-files';

/** One parsed HCL file (Terraform .tf, .tfvars or a backend .hcl), as @cdktf/hcl2json gives it. */
export interface HclFile {
  path: string;
  /** The folder: a Terraform module. */
  dir: string;
  body: Json;
}

/**
 * Parses one file with HashiCorp's own HCL parser (Go, compiled to WebAssembly in
 * @cdktf/hcl2json). Expressions stay as `${…}` strings; blocks become arrays of bodies.
 */
export async function parseHclFile(path: string): Promise<HclFile> {
  const body = (await parse(path, readRepoFile(path))) as unknown;
  if (!isRecord(body)) throw new Error(`${path} did not parse into an object`);
  return { path, dir: path.slice(0, path.lastIndexOf('/')), body };
}

export async function parseHclTree(dir: string): Promise<HclFile[]> {
  const paths = listRepoFiles(dir, (path) => /\.(tf|tfvars|hcl)$/.test(path));
  return Promise.all(paths.map(parseHclFile));
}

/** A labelled block such as `resource "aws_s3_bucket" "lake" { … }`. */
export interface HclBlock {
  file: string;
  dir: string;
  type: string;
  name: string;
  body: Json;
}

/** `resource`/`data` blocks (two labels) of the given type, across files. */
export function typedBlocks(
  files: readonly HclFile[],
  kind: 'resource' | 'data',
  type?: string,
): HclBlock[] {
  return files
    .filter((f) => f.path.endsWith('.tf'))
    .flatMap((file) =>
      Object.entries(record(file.body[kind])).flatMap(([blockType, byName]) =>
        type !== undefined && blockType !== type
          ? []
          : Object.entries(record(byName)).flatMap(([name, bodies]) =>
              list(bodies).map((body) => ({
                file: file.path,
                dir: file.dir,
                type: blockType,
                name,
                body: record(body),
              })),
            ),
      ),
    );
}

/** Single-label blocks: `variable`, `output`, `module`. */
export function namedBlocks(
  files: readonly HclFile[],
  kind: 'variable' | 'output' | 'module',
): HclBlock[] {
  return files
    .filter((f) => f.path.endsWith('.tf'))
    .flatMap((file) =>
      Object.entries(record(file.body[kind])).flatMap(([name, bodies]) =>
        list(bodies).map((body) => ({
          file: file.path,
          dir: file.dir,
          type: kind,
          name,
          body: record(body),
        })),
      ),
    );
}

/** Does an attribute reference `aws_s3_bucket.<name>` (e.g. `${aws_s3_bucket.lake.id}`)? */
export function references(value: unknown, address: string): boolean {
  return (
    typeof value === 'string' && new RegExp(`\\b${address.replace(/\./g, '\\.')}\\b`).test(value)
  );
}

/** The first body of a nested block (`rule { … }` → its attributes). */
export function nested(body: Json, name: string): Json[] {
  return list(body[name]).map(record);
}
