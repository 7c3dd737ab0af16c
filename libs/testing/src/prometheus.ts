// The parser ships no types; this file is its only user, so the declaration lives here.
const parse = require('parse-prometheus-text-format') as (text: string) => MetricFamily[];

export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Array<{
    labels?: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }>;
}

/**
 * Parses Prometheus text exposition with an independent parser (not prom-client's own code), and
 * throws when a line does not follow the format — what a scraper would choke on.
 */
export function parsePrometheusText(text: string): MetricFamily[] {
  return parse(text);
}
