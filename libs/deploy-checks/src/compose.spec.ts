import {
  composeSchemaErrors,
  composeServices,
  interpolate,
  isOneShot,
  loadCompose,
  parseDotenv,
  serviceDependencies,
  serviceEnvironment,
} from './compose';
import { envKeyProblems, missingDistributedSettings } from './env-keys';
import { repoFileExists } from './repo';
import { DLQ_TOPIC, EVENTS_TOPIC, readServiceSource, SERVICES } from './services';
import { list, loadYaml, record } from './yaml-files';

const { model, references, envExample } = loadCompose();
const services = composeServices(model);
const tributaryImage = String(services['ingest-api']?.image);
const tributaryServices = SERVICES.map((service) => service.name);

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema', () => {
    expect(composeSchemaErrors(model)).toEqual([]);
  });

  it('the schema check catches a misspelt key and a wrong type', () => {
    const broken = structuredClone(model);
    const kafka = record(record(broken.services).kafka);
    kafka.helthcheck = kafka.healthcheck;
    kafka.ports = 'not-a-list';
    const errors = composeSchemaErrors(broken);
    expect(errors.join('\n')).toMatch(/helthcheck/);
    expect(errors.join('\n')).toMatch(/\/services\/kafka\/ports/);
  });

  it('takes every variable from .env.example, with the same value as its default', () => {
    const problems = references.flatMap(({ name, fallback }) => {
      if (!envExample.has(name)) return [`${name} is not in .env.example`];
      if (fallback !== envExample.get(name)) {
        return [
          `\${${name}} defaults to ${String(fallback)}, .env.example says ${envExample.get(name)}`,
        ];
      }
      return [];
    });
    expect(problems).toEqual([]);
    const used = new Set(references.map((reference) => reference.name));
    expect([...envExample.keys()].filter((name) => !used.has(name))).toEqual([]);
  });

  it('.env.example sets only TRIBUTARY_* keys that libs/config accepts', () => {
    const keys = [...envExample.keys()].filter((key) => key.startsWith('TRIBUTARY_'));
    expect(keys.length).toBeGreaterThan(0);
    expect(envKeyProblems(keys)).toEqual([]);
  });

  it('pins every image to a tag other than latest', () => {
    const unpinned = Object.entries(services)
      .map(([name, service]) => [name, String(service.image)])
      .filter(
        ([, image]) => !/:[\w.-]+$/.test(image.split('/').pop() ?? '') || image.endsWith(':latest'),
      );
    expect(unpinned).toEqual([]);
  });

  it('gives every long-running service a healthcheck and every one-shot job restart "no"', () => {
    const problems = Object.entries(services).flatMap(([name, service]) => {
      if (isOneShot(service))
        return service.healthcheck ? [`${name}: a one-shot job with a healthcheck`] : [];
      const test = list(record(service.healthcheck).test);
      if (test.length === 0) return [`${name}: no healthcheck`];
      if (service.restart !== 'unless-stopped')
        return [`${name}: restart is ${String(service.restart)}`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('waits on dependencies with the right condition: healthy services, completed jobs', () => {
    const problems = Object.entries(services).flatMap(([name, service]) =>
      [...serviceDependencies(service)].flatMap(([dependency, condition]) => {
        const target = services[dependency];
        if (!target) return [`${name} depends on unknown ${dependency}`];
        if (isOneShot(target) && condition !== 'service_completed_successfully') {
          return [`${name} → ${dependency} (a job) should wait for service_completed_successfully`];
        }
        if (!isOneShot(target) && condition === 'service_completed_successfully') {
          return [`${name} → ${dependency} is long-running and never completes`];
        }
        return [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const open = Object.entries(services).flatMap(([name, service]) =>
      list(service.ports)
        .map(String)
        .filter((port) => !port.startsWith('127.0.0.1:'))
        .map((port) => `${name}: ${port}`),
    );
    expect(open).toEqual([]);
  });

  it('mounts only files and folders that exist in the repository', () => {
    const missing = Object.entries(services).flatMap(([name, service]) =>
      list(service.volumes)
        .map((volume) => String(volume).split(':')[0])
        .filter((source) => source.startsWith('./'))
        .filter((source) => !repoFileExists(source.slice(2)))
        .map((source) => `${name}: ${source}`),
    );
    expect(missing).toEqual([]);
  });

  describe.each(tributaryServices)('%s', (name) => {
    const spec = SERVICES.find((service) => service.name === name);
    const service = services[name] ?? {};
    const environment = serviceEnvironment(service);
    const source = readServiceSource(name);

    it('runs the one image with its own command, matching the app', () => {
      expect(service.image).toBe(tributaryImage);
      expect(record(service.build).context).toBe('.');
      expect(service.command).toEqual(spec?.command);
      expect(source.hasMain).toBe(true);
    });

    it('listens on the port the code defaults to, published and health-checked there', () => {
      expect(source.defaultPort).toBe(spec?.port);
      expect(environment.get(spec?.portKey ?? '')).toBe(String(spec?.port));
      expect(list(service.ports)).toContain(`127.0.0.1:${spec?.port}:${spec?.port}`);
      expect(list(record(service.healthcheck).test).join(' ')).toContain(
        `http://127.0.0.1:${spec?.port}/health/ready`,
      );
    });

    it('sets only settings libs/config accepts, and every one the distributed profile requires', () => {
      expect(envKeyProblems(environment.keys())).toEqual([]);
      expect(environment.get('TRIBUTARY_PROFILE')).toBe('distributed');
      expect(missingDistributedSettings(environment.keys())).toEqual([]);
      expect(environment.get('TRIBUTARY_OTLP_ENDPOINT')).toBe('http://jaeger:4318');
    });

    it('starts after the dependencies its readiness checks are healthy, and after bootstrap', () => {
      const dependencies = serviceDependencies(service);
      expect(source.readiness.length).toBeGreaterThan(0);
      for (const dependency of source.readiness) {
        expect([dependency, dependencies.get(dependency)]).toEqual([dependency, 'service_healthy']);
      }
      expect(dependencies.get('bootstrap')).toBe('service_completed_successfully');
    });
  });

  it('runs the bootstrap job from the same image with the same settings', () => {
    const bootstrap = services.bootstrap ?? {};
    expect(bootstrap.image).toBe(tributaryImage);
    expect(envKeyProblems(serviceEnvironment(bootstrap).keys())).toEqual([]);
    const script = list(bootstrap.command).join('\n');
    expect(script).toContain("admin='node apps/ingest-api/dist/admin.js'");
    expect(script).toMatch(/\$admin migrate/);
    expect(script).toMatch(/\$admin source create demo/);
  });

  it('runs Kafka from the official image in KRaft mode and creates both topics', () => {
    const kafka = services.kafka ?? {};
    expect(String(kafka.image)).toMatch(/^apache\/kafka:4\.1\.\d+$/);
    expect(serviceEnvironment(kafka).get('KAFKA_PROCESS_ROLES')).toBe('broker,controller');
    const script = list(services['kafka-init']?.command).join('\n');
    const topics = [...script.matchAll(/--topic (\S+)/g)].map((match) => match[1]);
    expect(topics).toEqual([EVENTS_TOPIC, DLQ_TOPIC]);
    expect(script).toContain('--if-not-exists');
    // The same partitions ingest-api would create the topics with.
    const partitions = serviceEnvironment(services['ingest-api'] ?? {}).get(
      'TRIBUTARY_KAFKA_TOPIC_PARTITIONS',
    );
    expect([...script.matchAll(/--partitions (\S+)/g)].map((m) => m[1])).toEqual([
      partitions,
      partitions,
    ]);
  });

  it('creates the lake bucket in MinIO and enables OTLP in Jaeger', () => {
    const init = services['minio-init'] ?? {};
    expect(list(init.command).join('\n')).toMatch(/mc mb --ignore-existing "lake\/\$LAKE_BUCKET"/);
    expect(serviceEnvironment(init).get('LAKE_BUCKET')).toBe(envExample.get('LAKE_BUCKET'));
    expect(serviceEnvironment(services.jaeger ?? {}).get('COLLECTOR_OTLP_ENABLED')).toBe('true');
  });

  it('scrapes exactly the four services from Prometheus, at their compose addresses', () => {
    const prometheus = record(loadYaml('infra/prometheus/prometheus.yml'));
    const job = list(prometheus.scrape_configs)
      .map(record)
      .find((c) => c.job_name === 'tributary');
    const targets = list(job?.static_configs).map(record);
    expect(
      targets.map((target) => [list(target.targets)[0], record(target.labels).service]),
    ).toEqual(SERVICES.map((s) => [`${s.name}:${s.port}`, s.name]));
    const alertmanagers = list(record(prometheus.alerting).alertmanagers).map(record);
    const amTargets = alertmanagers.flatMap((am) =>
      list(am.static_configs).flatMap((c) => list(record(c).targets)),
    );
    expect(amTargets).toEqual(['alertmanager:9093']);
    expect(services.alertmanager).toBeDefined();
  });
});

describe('compose interpolation (the helper the checks above rely on)', () => {
  it('follows Compose: defaults, $$ escapes, values from the env file', () => {
    const vars = new Map([
      ['A', 'x'],
      ['EMPTY', ''],
    ]);
    expect(interpolate('${A:-d} ${B:-d} ${EMPTY:-d} ${EMPTY-d} $$A $A', vars).text).toBe(
      'x d d  $A x',
    );
    expect(() => interpolate('${B:?set B}', vars)).toThrow(/B is required/);
  });

  it('parses dotenv lines and refuses duplicates', () => {
    expect([...parseDotenv('# c\nA=1\n\nB=two words\n')]).toEqual([
      ['A', '1'],
      ['B', 'two words'],
    ]);
    expect(() => parseDotenv('A=1\nA=2')).toThrow(/twice/);
  });
});
