import { renderKustomization } from './kustomize';
import {
  type HclBlock,
  type HclFile,
  namedBlocks,
  nested,
  parseHclFile,
  parseHclTree,
  typedBlocks,
} from './hcl';
import { bucketProblems, DATA_STORE_MODULES, ingressProblems } from './terraform-rules';
import { repoFileExists, resolveRelative } from './repo';
import { SECRET_KEYS } from './services';
import { list, record } from './yaml-files';

const ENVS = ['dev', 'staging', 'prod'];
const META_ARGUMENTS = new Set([
  'source',
  'version',
  'providers',
  'depends_on',
  'count',
  'for_each',
]);

let files: HclFile[];
let resources: HclBlock[];

beforeAll(async () => {
  files = await parseHclTree('infra/terraform');
  resources = typedBlocks(files, 'resource');
});

const resourcesOf = (type: string) => resources.filter((r) => r.type === type);
const str = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

describe('infra/terraform', () => {
  it('every .tf, .tfvars and .hcl file parses with the HCL parser', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(ENVS.map((env) => `infra/terraform/envs/${env}/main.tf`)),
    );
  });

  it('the parser reports a syntax error', async () => {
    await expect(parseHclFile('libs/deploy-checks/src/fixtures/broken.tf')).rejects.toThrow(
      /Invalid expression|Argument or block definition required/,
    );
  });

  it('documents every variable (description and type) and every output', () => {
    const undocumented = [
      ...namedBlocks(files, 'variable').filter(
        (v) => !String(v.body.description ?? '').trim() || v.body.type === undefined,
      ),
      ...namedBlocks(files, 'output').filter((o) => !String(o.body.description ?? '').trim()),
    ].map((block) => `${block.file}: ${block.type} ${block.name}`);
    expect(undocumented).toEqual([]);
  });

  it('wires every module call: the source exists, arguments are its variables, required ones are given', () => {
    const problems = namedBlocks(files, 'module').flatMap((call) => {
      const source = resolveRelative(`${call.dir}/x`, String(call.body.source));
      if (!repoFileExists(`${source}/main.tf`))
        return [`${call.file}: module ${call.name} has no ${source}`];
      const variables = namedBlocks(
        files.filter((f) => f.dir === source),
        'variable',
      );
      const declared = new Set(variables.map((v) => v.name));
      const given = Object.keys(call.body).filter((key) => !META_ARGUMENTS.has(key));
      return [
        ...given
          .filter((arg) => !declared.has(arg))
          .map((arg) => `${call.file}: ${call.name}.${arg} is not a variable of ${source}`),
        ...variables
          .filter((v) => !('default' in v.body) && !given.includes(v.name))
          .map((v) => `${call.file}: ${call.name} misses the required ${v.name}`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('pins every provider and requires Terraform >= 1.10 (S3-native state locking)', () => {
    const terraformBlocks = files.flatMap((f) =>
      list(f.body.terraform).map((t) => ({ file: f.path, body: record(t) })),
    );
    expect(terraformBlocks.length).toBeGreaterThan(0);
    for (const block of terraformBlocks) {
      expect([block.file, block.body.required_version]).toEqual([block.file, '>= 1.10']);
      for (const providers of list(block.body.required_providers).map(record)) {
        for (const [name, spec] of Object.entries(providers)) {
          expect([block.file, name, typeof record(spec).version]).toEqual([
            block.file,
            name,
            'string',
          ]);
        }
      }
    }
  });

  describe.each(ENVS)('envs/%s', (env) => {
    const dir = `infra/terraform/envs/${env}`;
    const inDir = () => files.filter((f) => f.dir === dir);

    it('sets exactly its declared variables in terraform.tfvars', () => {
      const declared = namedBlocks(inDir(), 'variable')
        .map((v) => v.name)
        .sort();
      const tfvars = inDir().find((f) => f.path.endsWith('terraform.tfvars'));
      expect(Object.keys(tfvars?.body ?? {}).sort()).toEqual(declared);
    });

    it('keeps its state remotely: an S3 backend and a backend.hcl example with locking and its own key', () => {
      const backends = inDir().flatMap((f) =>
        list(f.body.terraform).flatMap((t) => Object.keys(record(record(t).backend))),
      );
      expect(backends).toEqual(['s3']);
      const example = record(inDir().find((f) => f.path.endsWith('backend.hcl'))?.body);
      expect(example).toMatchObject({
        encrypt: true,
        use_lockfile: true,
        key: `tributary/${env}/terraform.tfstate`,
      });
      expect(typeof example.bucket).toBe('string');
    });

    it('lets nobody reach the Kubernetes API from everywhere', () => {
      const tfvars = record(inDir().find((f) => f.path.endsWith('terraform.tfvars'))?.body);
      expect(list(tfvars.kubernetes_api_allowed_cidrs)).not.toContain('0.0.0.0/0');
    });
  });

  it('uses the Kubernetes namespace of the matching overlay for the IAM roles of service accounts', () => {
    for (const env of ['dev', 'prod']) {
      const tfvars = record(
        files.find((f) => f.path === `infra/terraform/envs/${env}/terraform.tfvars`)?.body,
      );
      const overlay = renderKustomization(`infra/k8s/overlays/${env}`).resources.find(
        (r) => r.kind === 'Namespace',
      );
      expect([env, tfvars.kubernetes_namespace]).toEqual([env, record(overlay?.metadata).name]);
    }
  });

  it('encrypts, versions, lifecycles and blocks public access on every S3 bucket', () => {
    expect(resourcesOf('aws_s3_bucket').length).toBeGreaterThanOrEqual(2);
    expect(bucketProblems(resources)).toEqual([]);
  });

  it('tiers the raw lake partitions Standard → Infrequent Access → Glacier', () => {
    const lifecycle = resourcesOf('aws_s3_bucket_lifecycle_configuration').find((l) =>
      l.dir.endsWith('modules/lake'),
    );
    const raw = nested(lifecycle?.body ?? {}, 'rule').find((rule) =>
      str(nested(rule, 'filter')[0]?.prefix).includes('raw_prefix'),
    );
    const transitions = nested(raw ?? {}, 'transition').map((t) => String(t.storage_class));
    expect(transitions).toEqual(['STANDARD_IA', 'GLACIER_IR']);
  });

  it('admits no 0.0.0.0/0 ingress anywhere, and data stores only from the workloads group', () => {
    expect(ingressProblems(resources)).toEqual([]);
    const dataStoreRules = resourcesOf('aws_vpc_security_group_ingress_rule').filter((rule) =>
      DATA_STORE_MODULES.some((store) => rule.dir.endsWith(`modules/${store}`)),
    );
    expect(dataStoreRules.length).toBeGreaterThanOrEqual(DATA_STORE_MODULES.length);
    for (const rule of dataStoreRules) {
      expect(str(rule.body.referenced_security_group_id)).toMatch(/client_security_group_id/);
    }
  });

  it('the bucket and ingress rules catch a bare bucket and a data store open to the world', async () => {
    const fixture = typedBlocks(
      await parseHclTree('libs/deploy-checks/src/fixtures/terraform'),
      'resource',
    );
    const file = 'libs/deploy-checks/src/fixtures/terraform/modules/postgres/main.tf';
    expect(bucketProblems(fixture)).toEqual([
      `${file}: aws_s3_bucket.open has no versioning`,
      `${file}: aws_s3_bucket.open has no lifecycle`,
      `${file}: aws_s3_bucket.open has no public access block`,
    ]);
    expect(ingressProblems(fixture)).toEqual([
      `${file}: postgres_world admits 0.0.0.0/0`,
      `${file}: postgres_world admits a CIDR to a data store`,
    ]);
  });

  it('keeps data stores off the internet and encrypted at rest', () => {
    for (const db of resourcesOf('aws_db_instance'))
      expect(db.body).toMatchObject({ publicly_accessible: false, storage_encrypted: true });
    for (const cache of resourcesOf('aws_elasticache_replication_group')) {
      expect(cache.body).toMatchObject({
        at_rest_encryption_enabled: true,
        transit_encryption_enabled: true,
      });
    }
    for (const msk of resourcesOf('aws_msk_cluster')) {
      const info = nested(msk.body, 'broker_node_group_info')[0] ?? {};
      const access = nested(nested(info, 'connectivity_info')[0] ?? {}, 'public_access')[0];
      expect(access?.type).toBe('DISABLED');
      expect(nested(msk.body, 'encryption_info')[0]?.encryption_at_rest_kms_key_arn).toBeDefined();
    }
    for (const instance of resourcesOf('aws_instance')) {
      expect(instance.body.associate_public_ip_address).toBe(false);
      expect(nested(instance.body, 'metadata_options')[0]?.http_tokens).toBe('required');
    }
    for (const volume of resourcesOf('aws_ebs_volume')) expect(volume.body.encrypted).toBe(true);
    for (const key of resourcesOf('aws_kms_key'))
      expect([key.file, key.body.enable_key_rotation]).toEqual([key.file, true]);
    for (const secret of resourcesOf('aws_secretsmanager_secret'))
      expect(secret.body.kms_key_id).toBeDefined();
  });

  it('grants least privilege: no wildcard actions or resources in Allow statements', () => {
    const statements = typedBlocks(files, 'data', 'aws_iam_policy_document').flatMap((doc) =>
      nested(doc.body, 'statement').map((statement) => ({ doc, statement })),
    );
    expect(statements.length).toBeGreaterThan(5);
    const problems = statements
      .filter(({ statement }) => (statement.effect ?? 'Allow') === 'Allow')
      .flatMap(({ doc, statement }) => [
        ...list(statement.actions)
          .map(String)
          .filter((action) => action === '*' || action.endsWith(':*'))
          .map((a) => `${doc.file}: ${doc.name} allows ${a}`),
        ...list(statement.resources)
          .map(String)
          .filter((resource) => resource === '*')
          .map(() => `${doc.file}: ${doc.name} on every resource`),
      ]);
    expect(problems).toEqual([]);
  });

  it('stores exactly the secrets the Kubernetes Secret tributary-secrets holds', () => {
    const output = namedBlocks(files, 'output').find(
      (o) => o.dir.endsWith('modules/secrets') && o.name === 'secret_arns',
    );
    expect(Object.keys(record(output?.body.value)).sort()).toEqual([...SECRET_KEYS].sort());
  });
});
