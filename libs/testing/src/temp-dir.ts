import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  remove(): void;
}

/** A fresh folder under the OS temp dir, e.g. a test file's own chDB data folder. */
export function tempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `tributary-${label.replace(/[^a-zA-Z0-9_-]+/g, '-')}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
