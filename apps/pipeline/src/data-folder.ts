import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';

/** Where the one-process pipeline keeps everything: one folder, so a reset is one delete. */
export interface DataFolder {
  /** As configured (TRIBUTARY_DATA_DIR), relative to the working directory. */
  root: string;
  postgres: string;
  /** The demo source's API key and read token, kept to be shown again on later starts. */
  credentials: string;
}

export function dataFolder(env: NodeJS.ProcessEnv): DataFolder {
  const root = env.TRIBUTARY_DATA_DIR || '.tributary';
  return {
    root,
    postgres: join(root, 'postgres'),
    credentials: join(root, 'demo-credentials.json'),
  };
}

/** Deletes the data folder after the user typed "yes" (or with `yes`); false when declined. */
export async function resetDataFolder(
  folder: DataFolder,
  options: { yes: boolean },
): Promise<boolean> {
  const absolute = resolve(folder.root);
  if (!existsSync(absolute)) return true;
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      process.stderr.write(
        `tributary: --reset would delete ${folder.root}; add --yes to confirm without a terminal\n`,
      );
      return false;
    }
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(
      `Delete ${absolute} — every event, view, key and run of this pipeline? Type yes: `,
    );
    prompt.close();
    if (answer.trim().toLowerCase() !== 'yes') {
      process.stderr.write('tributary: nothing deleted\n');
      return false;
    }
  }
  rmSync(absolute, { recursive: true, force: true });
  process.stderr.write(`tributary: deleted ${folder.root}\n`);
  return true;
}
