import type { QualityStore } from '../store/quality-store';
import type { Suite } from '../suite/suite';
import type { DataDocsModel } from './render-data-docs';

export interface LoadDataDocsOptions {
  readonly suites?: readonly Suite[];
  /** Runs listed in the history, over all suites (200). */
  readonly historyLimit?: number;
  readonly now?: () => Date;
  readonly title?: string;
}

/** Reads what the report shows from the store: the latest run per checkpoint and the history. */
export async function loadDataDocs(
  store: QualityStore,
  options: LoadDataDocsOptions = {},
): Promise<DataDocsModel> {
  const [latest, history] = await Promise.all([
    store.latestRuns(),
    store.history({ limit: options.historyLimit ?? 200 }),
  ]);
  return {
    ...(options.title === undefined ? {} : { title: options.title }),
    generatedAt: (options.now ?? (() => new Date()))(),
    suites: options.suites ?? [],
    latest,
    history,
  };
}
