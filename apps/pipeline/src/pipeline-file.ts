import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFolder } from './data-folder';

/** Written while the pipeline runs, so tools on the same data folder find its URLs. */
export interface PipelineFile {
  pid: number;
  startedAt: string;
  urls: Record<string, string>;
}

const fileOf = (folder: DataFolder) => join(folder.root, 'pipeline.json');

export function writePipelineFile(folder: DataFolder, urls: Record<string, string>): () => void {
  const file = fileOf(folder);
  const contents: PipelineFile = { pid: process.pid, startedAt: new Date().toISOString(), urls };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(contents, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return () => rmSync(file, { force: true });
}

/** The running pipeline's file, or undefined when none runs (absent, or its process is gone). */
export function readPipelineFile(folder: DataFolder): PipelineFile | undefined {
  const file = fileOf(folder);
  if (!existsSync(file)) return undefined;
  const contents = JSON.parse(readFileSync(file, 'utf8')) as PipelineFile;
  try {
    process.kill(contents.pid, 0);
    return contents;
  } catch {
    return undefined;
  }
}
