import type { parser as PromqlParser } from '@prometheus-io/lezer-promql' with {
  'resolution-mode': 'import',
};
import type { ExportedSeries } from './metrics';

// The grammar package is an ES module with a CommonJS build; this library compiles to CommonJS,
// so it loads that build (its `require` export) and takes the types from the ES declarations.
const { parser } = require('@prometheus-io/lezer-promql') as { parser: typeof PromqlParser };

/** One vector selector of an expression: `metric{label="…"}`. */
export interface Selector {
  metric: string | undefined;
  labels: string[];
}

export interface PromqlAnalysis {
  /** Syntax errors, with the text around each. */
  errors: string[];
  selectors: Selector[];
  /** Labels named in `by (…)`, `without (…)`, `on (…)` and `ignoring (…)`. */
  groupingLabels: string[];
}

/**
 * Parses an expression with Prometheus's own PromQL grammar (the one its web UI uses) and lists
 * what it selects. Error nodes are syntax errors.
 */
export function analysePromql(expression: string): PromqlAnalysis {
  const tree = parser.parse(expression);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  const groupingLabels: string[] = [];
  const text = (node: { from: number; to: number }): string => expression.slice(node.from, node.to);
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.type.isError) {
        const around = expression.slice(Math.max(0, node.from - 20), node.to + 20);
        errors.push(`syntax error at ${node.from}: …${around}…`);
        return;
      }
      if (node.name === 'VectorSelector') {
        const identifier = node.getChild('Identifier');
        const labels: string[] = [];
        const matchers = node.getChild('LabelMatchers');
        for (let child = matchers?.firstChild; child; child = child.nextSibling) {
          const name = child.getChild('LabelName') ?? child.getChild('QuotedLabelName');
          if (name) labels.push(text(name).replace(/^"|"$/g, ''));
          else if (child.name === 'QuotedLabelMatcher' || child.name === 'StringLiteral') {
            labels.push('__name__');
          }
        }
        selectors.push({ metric: identifier ? text(identifier) : undefined, labels });
      }
      if (node.name === 'GroupingLabels') {
        for (const label of node.getChildren('LabelName')) groupingLabels.push(text(label));
      }
    },
  });
  return { errors, selectors, groupingLabels };
}

/**
 * Problems of an expression against what the code exports: syntax errors, selectors without a
 * metric name, metrics nobody exports, and matcher or grouping labels no selected metric has.
 */
export function promqlProblems(expression: string, exported: ExportedSeries): string[] {
  const { errors, selectors, groupingLabels } = analysePromql(expression);
  const problems = [...errors];
  const known = new Set<string>();
  for (const selector of selectors) {
    if (!selector.metric) {
      problems.push('a selector without a metric name');
      continue;
    }
    const labels = exported.get(selector.metric);
    if (!labels) {
      problems.push(`${selector.metric} is not a metric the services export`);
      continue;
    }
    labels.forEach((label) => known.add(label));
    for (const label of selector.labels) {
      if (!labels.has(label)) problems.push(`${selector.metric} has no label ${label}`);
    }
  }
  if (selectors.length === 0) problems.push('the expression selects no metric');
  for (const label of groupingLabels) {
    if (!known.has(label)) problems.push(`no selected metric has the label ${label}`);
  }
  return problems;
}

/**
 * Grafana's variables are not PromQL: replace the interval ones with a duration and the
 * label-value ones (inside strings) with a regex, as Grafana does before sending the query.
 */
export function substituteGrafanaVariables(expression: string): string {
  return expression
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{?(\w+)(?::\w+)?\}?/g, '.*');
}
