import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface TempDir {
  path: string;
  remove(): void;
}

/** A fresh folder under the OS temp dir, e.g. a test file's own chDB data folder. */
export function tempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `tributary-${label.replace(/[^a-zA-Z0-9_-]+/g, '-')}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A fresh folder inside the working directory (under `.cache/test-dirs/`), as a relative path:
 * chDB reads and writes Iceberg tables only inside the working directory.
 */
export function workspaceTempDir(label: string): TempDir {
  const parent = join(process.cwd(), '.cache', 'test-dirs');
  mkdirSync(parent, { recursive: true });
  const absolute = mkdtempSync(join(parent, `${label.replace(/[^a-zA-Z0-9_-]+/g, '-')}-`));
  const path = relative(process.cwd(), absolute);
  return { path, remove: () => rmSync(absolute, { recursive: true, force: true }) };
}
