import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createMetadataDataSource } from '@tributary/metadata';
import { loadDataDocs } from '../docs/load-data-docs';
import { renderDataDocs } from '../docs/render-data-docs';
import { QualityStore } from '../store/quality-store';
import { loadSuites } from '../suite/parse-suite';

export const DATA_DOCS_USAGE = `Usage: data-docs [--out FILE] [--suites DIR] [--history N]

Writes the data-quality report (static HTML) from the results in the metadata database
(TRIBUTARY_POSTGRES_URL).

  --out FILE     where to write the report (default: quality-report.html)
  --suites DIR   folder of suite YAML files to describe as well (optional)
  --history N    runs listed in the history (default: 200)`;

export interface DataDocsCliContext {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Asked only after the arguments parsed; may throw (a ConfigError), which is printed. */
  postgresUrl: () => string | undefined;
  cwd?: string;
}

/** The report CLI without the process: argv in, a file and text out, an exit code back (0, 1, 2). */
export async function runDataDocsCli(
  argv: readonly string[],
  context: DataDocsCliContext,
): Promise<number> {
  let values: { out?: string; suites?: string; history?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        suites: { type: 'string' },
        history: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
    if (values.history !== undefined && !/^[1-9]\d{0,5}$/.test(values.history)) {
      throw new Error(`--history must be a positive number, not '${values.history}'`);
    }
  } catch (error) {
    context.stderr.write(`error: ${(error as Error).message}\n\n${DATA_DOCS_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    context.stdout.write(`${DATA_DOCS_USAGE}\n`);
    return 0;
  }
  const cwd = context.cwd ?? process.cwd();
  const out = resolve(cwd, values.out ?? 'quality-report.html');
  try {
    const url = context.postgresUrl();
    if (url === undefined) throw new Error('TRIBUTARY_POSTGRES_URL is not set');
    const suites = values.suites === undefined ? [] : loadSuites(resolve(cwd, values.suites));
    const dataSource = await createMetadataDataSource({ url, poolSize: 2 }).initialize();
    try {
      const model = await loadDataDocs(new QualityStore(dataSource), {
        suites,
        historyLimit: values.history === undefined ? undefined : Number(values.history),
      });
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, renderDataDocs(model));
      context.stdout.write(
        `wrote ${out}: ${model.latest.length} latest run(s), ${model.history.length} in history\n`,
      );
    } finally {
      await dataSource.destroy();
    }
    return 0;
  } catch (error) {
    context.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
