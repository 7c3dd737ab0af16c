import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Makes a folder's entries (a created, renamed or deleted file) survive a crash. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a file so that a crash leaves either the old or the new content, never a mix: write a
 * temporary file, fsync it, rename it over the old one, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncFolder(dirname(path));
}
