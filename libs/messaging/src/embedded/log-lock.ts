import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process holds the log folder. */
export class LogLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly holderPid: number,
  ) {
    super(
      `the embedded log at ${folder} is in use by process ${holderPid}: one process owns a log folder; stop it or use another TRIBUTARY_DATA_DIR`,
    );
    this.name = 'LogLockedError';
  }
}

/** Folders this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * One process owns a log folder: `LOCK` inside it, created exclusively, holds the owner's pid.
 * A lock whose pid is no longer alive (the owner crashed) is taken over; a live one is refused
 * with LogLockedError naming the folder and the pid. Synchronous: it runs once at open.
 */
export function lockFolder(folder: string): () => void {
  const path = join(folder, 'LOCK');
  if (heldHere.has(folder)) throw new LogLockedError(folder, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      heldHere.add(folder);
      return () => {
        heldHere.delete(folder);
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readHolder(path), 10);
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder))
      throw new LogLockedError(folder, holder);
    // Stale: move it aside (atomic, so two takers cannot both delete a fresh lock), then retry.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`could not take the lock of the embedded log at ${folder}`);
}

function readHolder(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
