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

// Values follow Go's ParseFloat, as Prometheus does: NaN and Inf in any case (prom-client prints "Nan").
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.eE+-]+|[Nn][Aa][Nn]|[+-]?[Ii][Nn][Ff])( -?\d+)?$/;
const COMMENT =
  /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/;

/**
 * Parses Prometheus text exposition (format 0.0.4) as a scraper would: every line must be a
 * HELP/TYPE comment or a `name{labels} value [timestamp]` sample, else it throws naming the line.
 * The families come from an independent parser (not prom-client's own code).
 */
export function parsePrometheusText(text: string): MetricFamily[] {
  text.split('\n').forEach((line, index) => {
    if (line === '' || SAMPLE.test(line) || COMMENT.test(line)) return;
    throw new Error(`line ${index + 1} is not valid exposition format: ${line}`);
  });
  return parse(text);
}
