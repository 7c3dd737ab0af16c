import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { METRIC_CATALOG, METRIC_PREFIX, type MetricName } from './catalog';

type Spec<N extends MetricName> = (typeof METRIC_CATALOG)[N];
type LabelOf<N extends MetricName> = Spec<N>['labels'][number];
type MetricOf<N extends MetricName> = Spec<N>['type'] extends 'counter'
  ? Counter<LabelOf<N>>
  : Spec<N>['type'] extends 'gauge'
    ? Gauge<LabelOf<N>>
    : Histogram<LabelOf<N>>;

/**
 * One Prometheus registry per service (never prom-client's global one, so two services in one
 * process — the embedded profile — keep their series apart) with the process defaults, labelled
 * with the service name. Metrics come from the catalog only: `metrics.get('events_ingested_total')`.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly created = new Map<MetricName, unknown>();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  get<N extends MetricName>(name: N): MetricOf<N> {
    let metric = this.created.get(name);
    if (!metric) {
      metric = this.create(name);
      this.created.set(name, metric);
    }
    return metric as MetricOf<N>;
  }

  private create(name: MetricName): unknown {
    const spec = METRIC_CATALOG[name];
    const common = {
      name: `${METRIC_PREFIX}${name}`,
      help: spec.help,
      labelNames: [...spec.labels],
      registers: [this.registry],
    };
    switch (spec.type) {
      case 'counter':
        return new Counter(common);
      case 'gauge':
        return new Gauge(common);
      case 'histogram':
        return new Histogram({ ...common, buckets: [...spec.buckets] });
    }
  }
}
