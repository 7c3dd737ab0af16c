import { METRIC_CATALOG, METRIC_PREFIX, type MetricName, Metrics } from '@tributary/platform';

/** Labels every scraped series may carry besides its own: the service's default label and the
 * target labels Prometheus adds. */
const TARGET_LABELS = ['service', 'job', 'instance', 'namespace', 'pod', 'environment'];

/** Series names a deployment may query, each with the label names it carries. */
export type ExportedSeries = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Every series the services export, from the code itself: a registry built exactly as a service
 * builds it (`new Metrics(name)`: prom-client's process defaults with the `tributary_` prefix),
 * every metric of METRIC_CATALOG created in it, histograms expanded into `_bucket`, `_sum` and
 * `_count`; plus `up`, which Prometheus writes for every target.
 */
export async function exportedSeries(): Promise<ExportedSeries> {
  const metrics = new Metrics('deploy-checks');
  for (const name of Object.keys(METRIC_CATALOG) as MetricName[]) metrics.get(name);
  const series = new Map<string, Set<string>>();
  const add = (name: string, labels: Iterable<string>): void => {
    series.set(name, new Set([...(series.get(name) ?? []), ...labels, ...TARGET_LABELS]));
  };
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    const catalog = catalogEntry(metric.name);
    const observed = metric.values.flatMap((value) => Object.keys(value.labels ?? {}));
    const labels = [...(catalog?.labels ?? []), ...observed];
    const type = String(metric.type);
    if (type === 'histogram') {
      add(`${metric.name}_bucket`, [...labels, 'le']);
      add(`${metric.name}_sum`, labels);
      add(`${metric.name}_count`, labels);
    } else if (type === 'summary') {
      add(metric.name, [...labels, 'quantile']);
      add(`${metric.name}_sum`, labels);
      add(`${metric.name}_count`, labels);
    } else {
      add(metric.name, labels);
    }
  }
  add('up', []);
  return series;
}

function catalogEntry(name: string): { labels: readonly string[] } | undefined {
  if (!name.startsWith(METRIC_PREFIX)) return undefined;
  const key = name.slice(METRIC_PREFIX.length);
  return key in METRIC_CATALOG ? METRIC_CATALOG[key as MetricName] : undefined;
}

/** The catalog's names with the prefix, e.g. `tributary_events_ingested_total`. */
export function catalogMetricNames(): string[] {
  return Object.keys(METRIC_CATALOG).map((name) => `${METRIC_PREFIX}${name}`);
}

/** `tributary_query_latency_seconds_bucket` → `tributary_query_latency_seconds`. */
export function baseMetricName(series: string): string {
  const catalog = new Set(catalogMetricNames());
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = series.endsWith(suffix) ? series.slice(0, -suffix.length) : undefined;
    if (base && catalog.has(base)) return base;
  }
  return series;
}
