import { type ExportedSeries, catalogMetricNames, baseMetricName, exportedSeries } from './metrics';
import { analysePromql, promqlProblems, substituteGrafanaVariables } from './promql';
import { listRepoFiles, readRepoFile, repoFileExists, resolveRelative } from './repo';
import { type Json, isRecord, list, loadYaml, record } from './yaml-files';

const RULE_FILES = listRepoFiles('infra/prometheus/rules', (path) => path.endsWith('.yml'));
const rules = RULE_FILES.flatMap((file) =>
  list(record(loadYaml(file)).groups).flatMap((group) =>
    list(record(group).rules).map((rule) => ({
      file,
      group: String(record(group).name),
      rule: record(rule),
    })),
  ),
);
const alerts = rules.filter(({ rule }) => typeof rule.alert === 'string');
const DASHBOARDS = listRepoFiles('infra/grafana/dashboards', (path) => path.endsWith('.json'));
const dashboards = DASHBOARDS.map((file) => ({
  file,
  json: JSON.parse(readRepoFile(file)) as Json,
}));

let exported: ExportedSeries;
beforeAll(async () => {
  exported = await exportedSeries();
});

/** Every panel, rows' nested panels included. */
function panels(dashboard: Json): Json[] {
  return list(dashboard.panels).flatMap((panel) => [
    record(panel),
    ...list(record(panel).panels).map(record),
  ]);
}

describe('Prometheus alert rules', () => {
  it('cover the alerts the deployment promises', () => {
    expect(alerts.map(({ rule }) => rule.alert)).toEqual([
      'TributaryServiceDown',
      'TributaryIngestFailureRateHigh',
      'TributaryIngestRejectRateHigh',
      'TributaryDlqSpike',
      'TributaryConsumerLagHigh',
      'TributaryFreshnessSlaBreached',
      'TributaryWarehouseInsertSlow',
      'TributaryBatchRunFailed',
      'TributaryBatchSlaMissed',
      'TributaryDqPassRatioLow',
      'TributaryDqCheckFailed',
      'TributaryQueryLatencyHigh',
      'TributaryConnectorRunFailed',
      'TributaryConnectorStale',
    ]);
  });

  it.each(alerts.map(({ rule }) => [String(rule.alert), rule]))(
    '%s parses and uses only exported metrics',
    (_, rule) => {
      expect(promqlProblems(String(rule.expr), exported)).toEqual([]);
    },
  );

  it.each(alerts.map(({ rule }) => [String(rule.alert), rule]))(
    '%s has severity, for, summary, description and runbook',
    (name, rule) => {
      expect(['critical', 'warning']).toContain(record(rule.labels).severity);
      expect(String(rule.for)).toMatch(/^\d+[smh]$/);
      const annotations = record(rule.annotations);
      expect(String(annotations.summary ?? '')).not.toBe('');
      expect(String(annotations.description ?? '')).not.toBe('');
      expect(annotations.runbook_url).toBe(`docs/runbooks/${name}.md`);
      expect(repoFileExists(String(annotations.runbook_url))).toBe(true);
    },
  );

  it('the metric check rejects unknown metrics, unknown labels and bad syntax', () => {
    expect(promqlProblems('rate(tributary_events_ingested_totl[5m]) > 0', exported)).toEqual([
      'tributary_events_ingested_totl is not a metric the services export',
    ]);
    expect(
      promqlProblems('sum by (reason) (tributary_events_ingested_total{sorce="a"})', exported),
    ).toEqual([
      'tributary_events_ingested_total has no label sorce',
      'no selected metric has the label reason',
    ]);
    expect(promqlProblems('sum(rate(up[5m]) by', exported)[0]).toMatch(/syntax error/);
    expect(promqlProblems('{__name__="up"}', exported)).toEqual([
      'a selector without a metric name',
    ]);
  });

  it('the exported set is the catalog, its histogram series and the prefixed process metrics', () => {
    for (const name of catalogMetricNames()) {
      expect([name, exported.has(name) || exported.has(`${name}_bucket`)]).toEqual([name, true]);
    }
    expect(exported.has('tributary_process_cpu_seconds_total')).toBe(true);
    expect(exported.has('tributary_query_latency_seconds_count')).toBe(true);
    expect(exported.has('process_cpu_seconds_total')).toBe(false);
  });
});

describe('runbooks', () => {
  const runbooks = listRepoFiles(
    'docs/runbooks',
    (path) => path.endsWith('.md') && !path.endsWith('README.md'),
  );

  it('exist for exactly the alerts, one each, titled with the alert and with the standard sections', () => {
    expect(runbooks.map((path) => path.replace(/^docs\/runbooks\/|\.md$/g, '')).sort()).toEqual(
      alerts.map(({ rule }) => String(rule.alert)).sort(),
    );
    for (const path of runbooks) {
      const text = readRepoFile(path);
      const name = path.replace(/^docs\/runbooks\/|\.md$/g, '');
      expect(text.split('\n')[0]).toBe(`# ${name}`);
      for (const section of ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation']) {
        expect([name, text.includes(section)]).toEqual([name, true]);
      }
    }
  });

  it('every relative link in docs/operations.md and docs/runbooks resolves', () => {
    const docs = ['docs/operations.md', ...listRepoFiles('docs/runbooks')];
    const broken = docs.flatMap((doc) =>
      [...readRepoFile(doc).matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1].split('#')[0])
        .filter((target) => target !== '' && !/^[a-z]+:/.test(target))
        .filter((target) => !repoFileExists(resolveRelative(doc, target)))
        .map((target) => `${doc} → ${target}`),
    );
    expect(broken).toEqual([]);
  });
});

describe('Alertmanager', () => {
  const config = record(loadYaml('infra/alertmanager/alertmanager.yml'));
  const receivers = list(config.receivers).map(record);
  const routes = [record(config.route), ...list(record(config.route).routes).map(record)];

  it('routes to receivers that exist, uses each receiver and routes every severity the rules use', () => {
    const names = receivers.map((r) => String(r.name));
    for (const route of routes) expect(names).toContain(route.receiver);
    expect(names.filter((name) => !routes.some((route) => route.receiver === name))).toEqual([]);
    const severities = new Set(alerts.map(({ rule }) => String(record(rule.labels).severity)));
    for (const severity of severities) {
      expect(routes.some((route) => list(route.matchers).includes(`severity="${severity}"`))).toBe(
        true,
      );
    }
  });

  it('has e-mail and Slack receivers whose secrets come from files, never inline', () => {
    expect(receivers.some((r) => list(r.email_configs).length > 0)).toBe(true);
    expect(receivers.some((r) => list(r.slack_configs).length > 0)).toBe(true);
    const text = readRepoFile('infra/alertmanager/alertmanager.yml');
    expect(text).not.toMatch(/^\s*(api_url|smtp_auth_password|auth_password):/m);
    for (const slack of receivers.flatMap((r) => list(r.slack_configs)).map(record)) {
      expect(String(slack.api_url_file)).toMatch(/^\/etc\/alertmanager\/secrets\//);
    }
  });

  it('uses only templates that the template files define', () => {
    const defined = new Set(
      listRepoFiles('infra/alertmanager/templates').flatMap((file) =>
        [...readRepoFile(file).matchAll(/define "([^"]+)"/g)].map((m) => m[1]),
      ),
    );
    const used = [
      ...readRepoFile('infra/alertmanager/alertmanager.yml').matchAll(/template "([^"]+)"/g),
    ].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
  });

  it('inhibits only with alerts that exist', () => {
    const names = new Set(alerts.map(({ rule }) => `alertname="${String(rule.alert)}"`));
    for (const rule of list(config.inhibit_rules).map(record)) {
      for (const matcher of [...list(rule.source_matchers), ...list(rule.target_matchers)].map(
        String,
      )) {
        if (matcher.startsWith('alertname=')) expect(names).toContain(matcher);
      }
    }
  });
});

describe('Prometheus configuration', () => {
  it('loads the rule files, and the Kubernetes scrape job uses the job name the rules select', () => {
    const prometheus = record(loadYaml('infra/prometheus/prometheus.yml'));
    expect(list(prometheus.rule_files)).toEqual(['rules/*.yml']);
    const k8s = record(loadYaml('infra/prometheus/kubernetes/scrape-config.yml'));
    const jobs = [...list(prometheus.scrape_configs), ...list(k8s.scrape_configs)].map(
      (c) => record(c).job_name,
    );
    expect(jobs).toEqual(['tributary', 'tributary']);
    const selectedJobs = alerts.flatMap(({ rule }) =>
      [...String(rule.expr).matchAll(/job="([^"]+)"/g)].map((m) => m[1]),
    );
    expect(new Set(selectedJobs)).toEqual(new Set(['tributary']));
  });
});

describe('Grafana dashboards', () => {
  const datasources = list(
    record(loadYaml('infra/grafana/provisioning/datasources/datasources.yml')).datasources,
  ).map(record);
  const uids = new Set(datasources.map((d) => d.uid));

  it('are provisioned from the folder docker-compose.yml mounts', () => {
    const providers = list(
      record(loadYaml('infra/grafana/provisioning/dashboards/dashboards.yml')).providers,
    ).map(record);
    expect(providers.map((p) => record(p.options).path)).toEqual(['/var/lib/grafana/dashboards']);
    expect(readRepoFile('docker-compose.yml')).toContain(
      './infra/grafana/dashboards:/var/lib/grafana/dashboards:ro',
    );
  });

  it.each(DASHBOARDS)(
    '%s: unique uid and panel ids, known data sources, panels inside the grid',
    (file) => {
      const { json } = dashboards.find((d) => d.file === file) as { json: Json };
      expect(typeof json.uid).toBe('string');
      expect(dashboards.filter((d) => d.json.uid === json.uid)).toHaveLength(1);
      const ids = panels(json).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of panels(json)) {
        const grid = record(panel.gridPos);
        expect(Number(grid.x) + Number(grid.w)).toBeLessThanOrEqual(24);
        for (const target of [panel, ...list(panel.targets)].map(record)) {
          if (isRecord(target.datasource)) expect(uids).toContain(target.datasource.uid);
        }
      }
    },
  );

  it.each(DASHBOARDS)('%s: every query parses and uses only exported metrics', (file) => {
    const { json } = dashboards.find((d) => d.file === file) as { json: Json };
    const queries = panels(json).flatMap((panel) =>
      list(panel.targets).map((t) => String(record(t).expr)),
    );
    expect(queries.length).toBeGreaterThan(0);
    const problems = queries.flatMap((query) =>
      promqlProblems(substituteGrafanaVariables(query), exported).map((p) => `${p} in ${query}`),
    );
    const variables = list(record(json.templating).list).map((v) => String(record(v).definition));
    for (const definition of variables) {
      const match = /^label_values\((.+),\s*(\w+)\)$/.exec(definition);
      expect(match).not.toBeNull();
      const [, selector, label] = match as RegExpExecArray;
      problems.push(
        ...promqlProblems(
          substituteGrafanaVariables(`count by (${label}) (${selector})`),
          exported,
        ),
      );
    }
    expect(problems).toEqual([]);
  });

  it('together chart every metric of the catalog', () => {
    const used = new Set(
      dashboards.flatMap(({ json }) =>
        panels(json).flatMap((panel) =>
          list(panel.targets).flatMap((t) =>
            analysePromql(substituteGrafanaVariables(String(record(t).expr))).selectors.map((s) =>
              baseMetricName(String(s.metric)),
            ),
          ),
        ),
      ),
    );
    expect(catalogMetricNames().filter((name) => !used.has(name))).toEqual([]);
  });
});
