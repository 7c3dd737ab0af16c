import { type HclBlock, nested, references } from './hcl';

/** Modules whose security groups guard a data store. */
export const DATA_STORE_MODULES = ['kafka', 'postgres', 'redis', 'clickhouse'];

/**
 * Every `aws_s3_bucket` needs, in its own module, server-side encryption, versioning `Enabled`,
 * an enabled lifecycle rule and a public-access block with all four flags: one line per gap.
 */
export function bucketProblems(resources: readonly HclBlock[]): string[] {
  return resources
    .filter((r) => r.type === 'aws_s3_bucket')
    .flatMap((bucket) => {
      const address = `aws_s3_bucket.${bucket.name}`;
      const companion = (type: string) =>
        resources.filter(
          (r) => r.dir === bucket.dir && r.type === type && references(r.body.bucket, address),
        );
      const missing: string[] = [];
      const defaults = companion('aws_s3_bucket_server_side_encryption_configuration').flatMap(
        (s) =>
          nested(s.body, 'rule').flatMap((r) =>
            nested(r, 'apply_server_side_encryption_by_default'),
          ),
      );
      if (
        !defaults.some((d) =>
          ['aws:kms', 'AES256', 'aws:kms:dsse'].includes(String(d.sse_algorithm)),
        )
      ) {
        missing.push('encryption');
      }
      const versioning = companion('aws_s3_bucket_versioning').flatMap((v) =>
        nested(v.body, 'versioning_configuration'),
      );
      if (!versioning.some((v) => v.status === 'Enabled')) missing.push('versioning');
      const rules = companion('aws_s3_bucket_lifecycle_configuration').flatMap((l) =>
        nested(l.body, 'rule'),
      );
      if (!rules.some((rule) => rule.status === 'Enabled')) missing.push('lifecycle');
      const flags = [
        'block_public_acls',
        'block_public_policy',
        'ignore_public_acls',
        'restrict_public_buckets',
      ];
      const blocks = companion('aws_s3_bucket_public_access_block').map((b) => b.body);
      if (!blocks.some((b) => flags.every((flag) => b[flag] === true)))
        missing.push('public access block');
      return missing.map((what) => `${bucket.file}: ${address} has no ${what}`);
    });
}

/**
 * Ingress rules: none inline in security groups (separate rule resources only), none from
 * 0.0.0.0/0 or ::/0, and those of data-store modules only from a referenced security group.
 */
export function ingressProblems(resources: readonly HclBlock[]): string[] {
  const problems: string[] = [];
  for (const sg of resources.filter((r) => r.type === 'aws_security_group')) {
    if ('ingress' in sg.body || 'dynamic' in sg.body)
      problems.push(`${sg.file}: ${sg.name} has inline rules`);
  }
  for (const rule of resources.filter((r) => r.type === 'aws_security_group_rule')) {
    problems.push(
      `${rule.file}: ${rule.name} is an aws_security_group_rule; use aws_vpc_security_group_ingress_rule`,
    );
  }
  for (const rule of resources.filter((r) => r.type === 'aws_vpc_security_group_ingress_rule')) {
    const cidr = rule.body.cidr_ipv4 ?? rule.body.cidr_ipv6;
    if (cidr === '0.0.0.0/0' || cidr === '::/0')
      problems.push(`${rule.file}: ${rule.name} admits ${cidr}`);
    const dataStore = DATA_STORE_MODULES.some((store) => rule.dir.endsWith(`modules/${store}`));
    if (dataStore && (cidr !== undefined || rule.body.referenced_security_group_id === undefined)) {
      problems.push(`${rule.file}: ${rule.name} admits a CIDR to a data store`);
    }
  }
  return problems;
}
