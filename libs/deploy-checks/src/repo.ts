import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** The workspace root: the nearest folder above `from` that holds nx.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No nx.json above ${from}`);
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot();

/** Absolute path of a repository-relative path (always written with forward slashes). */
export function repoPath(relativePath: string): string {
  return join(REPO_ROOT, ...relativePath.split('/'));
}

export function repoFileExists(relativePath: string): boolean {
  return existsSync(repoPath(relativePath));
}

export function readRepoFile(relativePath: string): string {
  return readFileSync(repoPath(relativePath), 'utf8');
}

/** Repository-relative paths of the files under `relativeDir` (recursive, sorted). */
export function listRepoFiles(
  relativeDir: string,
  keep: (path: string) => boolean = () => true,
): string[] {
  const found: string[] = [];
  const visit = (absolute: string): void => {
    for (const name of readdirSync(absolute).sort()) {
      const child = join(absolute, name);
      if (statSync(child).isDirectory()) visit(child);
      else {
        const path = relative(REPO_ROOT, child).split(sep).join('/');
        if (keep(path)) found.push(path);
      }
    }
  };
  visit(repoPath(relativeDir));
  return found;
}

/** `a/b/c.yaml` + `../d.yaml` → `a/d.yaml`: resolves a relative reference between repo files. */
export function resolveRelative(fromFile: string, reference: string): string {
  const parts = fromFile.split('/').slice(0, -1);
  for (const part of reference.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
