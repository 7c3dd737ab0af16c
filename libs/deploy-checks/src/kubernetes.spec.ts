import { exportedSeries } from './metrics';
import {
  envKeyProblems,
  missingDistributedSettings,
  sensitiveKeys,
  shutdownTimeoutMs,
} from './env-keys';
import { describe as describeResource, mergePatch, renderKustomization } from './kustomize';
import { typecheckResources, validateWithOpenApiSchema } from './kubernetes';
import { listRepoFiles } from './repo';
import { CONSUMER_GROUPS, readServiceSource, SECRET_KEYS, SECRET_NAME, SERVICES } from './services';
import { type Json, list, record } from './yaml-files';

const TARGETS = ['infra/k8s/base', 'infra/k8s/overlays/dev', 'infra/k8s/overlays/prod'];
const rendered = Object.fromEntries(TARGETS.map((dir) => [dir, renderKustomization(dir)]));

const ofKind = (resources: Json[], kind: string) => resources.filter((r) => r.kind === kind);
const named = (resources: Json[], kind: string, name: string) =>
  resources.find((r) => r.kind === kind && record(r.metadata).name === name);
const podSpec = (deployment: Json) => record(record(record(deployment.spec).template).spec);
const container = (deployment: Json) => record(list(podSpec(deployment).containers)[0]);

/** The env a container starts with: its ConfigMaps (envFrom) and its own env entries. */
function containerEnv(resources: Json[], deployment: Json) {
  const c = container(deployment);
  const values = new Map<string, string | undefined>();
  const fromSecrets = new Map<string, { name: string; key: string }>();
  for (const source of list(c.envFrom).map(record)) {
    const configMap = named(resources, 'ConfigMap', String(record(source.configMapRef).name));
    if (!configMap) throw new Error(`${describeResource(deployment)}: envFrom a missing ConfigMap`);
    for (const [key, value] of Object.entries(record(configMap.data)))
      values.set(key, String(value));
  }
  for (const entry of list(c.env).map(record)) {
    const ref = record(record(entry.valueFrom).secretKeyRef);
    if (ref.name)
      fromSecrets.set(String(entry.name), { name: String(ref.name), key: String(ref.key) });
    values.set(String(entry.name), entry.value === undefined ? undefined : String(entry.value));
  }
  return { values, fromSecrets };
}

describe('Kubernetes manifests (kustomize base and overlays)', () => {
  it('render, reading every file of infra/k8s and nothing that is missing', () => {
    const read = new Set(Object.values(rendered).flatMap((r) => r.files));
    const unused = listRepoFiles('infra/k8s').filter((path) => !read.has(path));
    expect(unused).toEqual([]);
  });

  it.each(TARGETS)('%s validates against the Kubernetes OpenAPI schemas', (dir) => {
    expect(rendered[dir].resources.flatMap(validateWithOpenApiSchema)).toEqual([]);
  });

  it('every resource type-checks against the Kubernetes API types (no unknown fields)', () => {
    const all = TARGETS.flatMap((dir) => rendered[dir].resources);
    expect(typecheckResources(all)).toEqual([]);
  });

  it('the two schema checks catch a wrong type and a misspelt field', () => {
    const original = named(
      rendered['infra/k8s/base'].resources,
      'Deployment',
      'ingest-api',
    ) as Json;
    const wrongType = structuredClone(original);
    container(wrongType).ports = [{ name: 'http', containerPort: 'http' }];
    expect(validateWithOpenApiSchema(wrongType).join()).toMatch(/containerPort must be integer/);
    const misspelt = structuredClone(original);
    const c = container(misspelt);
    c.livenesProbe = c.livenessProbe;
    // The OpenAPI schemas allow unknown fields; only the type check sees the typo.
    expect(validateWithOpenApiSchema(misspelt)).toEqual([]);
    expect(typecheckResources([misspelt]).join('\n')).toMatch(
      /livenesProbe.*does not exist in type 'IContainer'/,
    );
  });

  describe.each(TARGETS)('%s', (dir) => {
    const resources = rendered[dir].resources;

    it.each(SERVICES.map((s) => s.name))(
      '%s: command, port, probes, resources and security',
      (name) => {
        const spec = SERVICES.find((s) => s.name === name);
        const deployment = named(resources, 'Deployment', name) as Json;
        expect(deployment).toBeDefined();
        const c = container(deployment);
        const pod = podSpec(deployment);
        expect(c.command).toEqual(spec?.command);
        expect(list(c.ports)).toEqual([{ name: 'http', containerPort: spec?.port }]);
        expect(record(record(c.livenessProbe).httpGet)).toEqual({
          path: '/health/live',
          port: 'http',
        });
        expect(record(record(c.readinessProbe).httpGet)).toEqual({
          path: '/health/ready',
          port: 'http',
        });
        expect(record(record(c.startupProbe).httpGet)).toEqual({
          path: '/health/live',
          port: 'http',
        });
        const resourcesSpec = record(c.resources);
        expect(Object.keys(record(resourcesSpec.requests)).sort()).toEqual(['cpu', 'memory']);
        expect(record(resourcesSpec.limits).memory).toBeDefined();
        expect(record(pod.securityContext).runAsNonRoot).toBe(true);
        expect(record(c.securityContext)).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
        });
        expect(named(resources, 'ServiceAccount', String(pod.serviceAccountName))).toBeDefined();
        const labels = record(record(record(deployment.spec).template).metadata).labels;
        expect(record(record(deployment.spec).selector).matchLabels).toEqual({
          'app.kubernetes.io/name': name,
        });
        expect(record(labels)['app.kubernetes.io/name']).toBe(name);
        const annotations = record(
          record(record(record(deployment.spec).template).metadata).annotations,
        );
        expect(annotations).toMatchObject({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(spec?.port),
        });
      },
    );

    it.each(SERVICES.map((s) => s.name))(
      '%s: environment keys, secrets and the shutdown budget',
      (name) => {
        const deployment = named(resources, 'Deployment', name) as Json;
        const { values, fromSecrets } = containerEnv(resources, deployment);
        const spec = SERVICES.find((s) => s.name === name);
        expect(envKeyProblems(values.keys())).toEqual([]);
        expect(values.get(spec?.portKey ?? '')).toBe(String(spec?.port));
        expect(missingDistributedSettings(values.keys())).toEqual([]);
        // Secrets never as plain values: a *_FILE path into the mounted Secret, or a secretKeyRef.
        for (const key of sensitiveKeys()) {
          if (values.has(key)) expect([key, fromSecrets.has(key)]).toEqual([key, true]);
        }
        for (const ref of fromSecrets.values()) {
          expect(ref.name).toBe(SECRET_NAME);
          expect(SECRET_KEYS).toContain(ref.key);
        }
        const c = container(deployment);
        const mounts = list(c.volumeMounts).map(record);
        const volumes = list(podSpec(deployment).volumes).map(record);
        for (const [key, path] of values) {
          if (!key.endsWith('_FILE') || !path) continue;
          const mount = mounts.find((m) => path.startsWith(`${String(m.mountPath)}/`));
          const volume = volumes.find((v) => v.name === mount?.name);
          const secret = record(volume?.secret);
          expect([key, secret.secretName]).toEqual([key, SECRET_NAME]);
          const file = path.slice(String(mount?.mountPath).length + 1);
          const item = list(secret.items)
            .map(record)
            .find((i) => i.path === file);
          expect([
            key,
            SECRET_KEYS.includes(String(item?.key) as (typeof SECRET_KEYS)[number]),
          ]).toEqual([key, true]);
        }
        const preStop = list(record(record(record(c.lifecycle).preStop).exec).command).map(String);
        const preStopSeconds = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
        const shutdown = shutdownTimeoutMs(
          Object.fromEntries([...values].filter(([, v]) => v !== undefined)) as Record<
            string,
            string
          >,
        );
        expect(Number(podSpec(deployment).terminationGracePeriodSeconds) * 1000).toBeGreaterThan(
          preStopSeconds * 1000 + shutdown,
        );
      },
    );

    it('scales the APIs on CPU and the speed layer on the lag of its consumer group', async () => {
      const hpas = ofKind(resources, 'HorizontalPodAutoscaler');
      const byTarget = new Map(
        hpas.map((h) => [String(record(record(h.spec).scaleTargetRef).name), record(h.spec)]),
      );
      expect([...byTarget.keys()].sort()).toEqual(['ingest-api', 'serving-api', 'speed-layer']);
      for (const api of ['ingest-api', 'serving-api']) {
        const metric = record(list(byTarget.get(api)?.metrics)[0]);
        expect(record(metric.resource).name).toBe('cpu');
      }
      const lag = record(record(list(byTarget.get('speed-layer')?.metrics)[0]).external);
      const series = await exportedSeries();
      const metricName = String(record(lag.metric).name);
      expect(series.has(metricName)).toBe(true);
      expect(record(record(lag.metric).selector).matchLabels).toEqual({ group: 'speed' });
      expect(Object.keys(CONSUMER_GROUPS)).toContain('speed');
      const partitions = Number(
        record(named(resources, 'ConfigMap', 'tributary-config')?.data)
          .TRIBUTARY_KAFKA_TOPIC_PARTITIONS,
      );
      expect(Number(byTarget.get('speed-layer')?.maxReplicas)).toBeLessThanOrEqual(partitions);
      for (const spec of byTarget.values()) {
        expect(Number(spec.maxReplicas)).toBeGreaterThanOrEqual(Number(spec.minReplicas));
        expect(
          named(resources, 'Deployment', String(record(spec.scaleTargetRef).name)),
        ).toBeDefined();
      }
    });

    it('keeps one batch-layer pod (one writer per table), never two during a rollout', () => {
      const batch = named(resources, 'Deployment', 'batch-layer') as Json;
      expect(record(batch.spec).replicas).toBe(1);
      expect(record(record(batch.spec).strategy).type).toBe('Recreate');
    });

    it('gives every scaled Deployment a disruption budget and every Service a matching pod port', () => {
      const pdbs = ofKind(resources, 'PodDisruptionBudget');
      for (const name of ['ingest-api', 'serving-api', 'speed-layer']) {
        const pdb = pdbs.find(
          (p) =>
            record(record(record(p.spec).selector).matchLabels)['app.kubernetes.io/name'] === name,
        );
        expect([name, pdb !== undefined]).toEqual([name, true]);
      }
      for (const service of ofKind(resources, 'Service')) {
        const selector = record(record(service.spec).selector);
        const deployment = ofKind(resources, 'Deployment').find(
          (d) =>
            record(record(record(d.spec).template).metadata).labels !== undefined &&
            Object.entries(selector).every(
              ([k, v]) => record(record(record(record(d.spec).template).metadata).labels)[k] === v,
            ),
        );
        expect([describeResource(service), deployment !== undefined]).toEqual([
          describeResource(service),
          true,
        ]);
        const ports = list(container(deployment as Json).ports).map((p) => record(p).name);
        for (const port of list(record(service.spec).ports).map(record))
          expect(ports).toContain(port.targetPort);
      }
    });
  });

  it.each(['infra/k8s/overlays/dev', 'infra/k8s/overlays/prod'])(
    '%s pins the image, sets a namespace and its own environment name',
    (dir) => {
      const resources = rendered[dir].resources;
      for (const deployment of ofKind(resources, 'Deployment')) {
        expect(String(container(deployment).image)).toMatch(/^[^:]+(:\d+)?[^:]*:[\w.-]+$/);
        expect(String(container(deployment).image)).not.toMatch(/:latest$/);
      }
      const namespaces = ofKind(resources, 'Namespace').map((n) => record(n.metadata).name);
      expect(namespaces).toHaveLength(1);
      for (const resource of resources.filter((r) => r.kind !== 'Namespace')) {
        expect(record(resource.metadata).namespace).toBe(namespaces[0]);
      }
      const config = named(resources, 'ConfigMap', 'tributary-config') as Json;
      expect(record(config.data).TRIBUTARY_ENVIRONMENT).toBe(dir.split('/').pop());
    },
  );

  it('matches each service to its readiness dependencies being configured', () => {
    const config = record(
      named(rendered['infra/k8s/overlays/prod'].resources, 'ConfigMap', 'tributary-config')?.data,
    );
    for (const service of SERVICES) {
      for (const dependency of readServiceSource(service.name).readiness) {
        const key = {
          kafka: 'TRIBUTARY_KAFKA_BROKERS',
          clickhouse: 'TRIBUTARY_CLICKHOUSE_URL',
          postgres: 'TRIBUTARY_POSTGRES_URL_FILE',
          redis: undefined,
        }[dependency];
        if (key)
          expect([service.name, key, config[key] !== undefined]).toEqual([service.name, key, true]);
      }
    }
  });
});

describe('kustomize renderer (the helper the checks above rely on)', () => {
  it('merges maps, merges lists of named objects by name and replaces other lists', () => {
    const base = {
      spec: { containers: [{ name: 'a', image: 'x', args: ['1'] }, { name: 'b' }], keep: 1 },
    };
    const patch = { spec: { containers: [{ name: 'a', image: 'y', args: ['2'] }, { name: 'c' }] } };
    expect(mergePatch(base, patch)).toEqual({
      spec: {
        containers: [{ name: 'a', image: 'y', args: ['2'] }, { name: 'b' }, { name: 'c' }],
        keep: 1,
      },
    });
  });

  it('refuses fields it does not implement', () => {
    expect(() =>
      renderKustomization('libs/deploy-checks/src/fixtures/unsupported-kustomization'),
    ).toThrow(/configMapGenerator/);
  });
});
