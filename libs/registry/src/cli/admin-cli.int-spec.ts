import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetadataDataSource, metadataMigrations } from '@tributary/metadata';
import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import { ApiKeys } from '../keys/api-keys';
import { ReadTokens } from '../keys/read-tokens';
import { AdminExitCode, runAdminCli } from './admin-cli';
import { captureIo } from './spec-io';

/** The admin CLI in-process, against a fresh database it migrates itself. */
describe(runAdminCli.name, () => {
  let database: TestDatabase;
  const folder = mkdtempSync(join(tmpdir(), 'tributary-admin-'));

  beforeAll(async () => {
    database = await createTestDatabase('admin_cli');
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function admin(...argv: string[]) {
    const io = captureIo(() => database.url);
    const code = await runAdminCli(argv, { ...io.context, cwd: folder });
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  }

  function schemaFile(name: string, schema: unknown): string {
    writeFileSync(join(folder, name), JSON.stringify(schema));
    return name;
  }

  describe('against Postgres', () => {
    it('migrates an empty database before the first command, then has nothing to do', async () => {
      const first = await admin('source', 'list');
      expect(first).toEqual({
        code: AdminExitCode.OK,
        stdout: 'No sources yet.\n',
        stderr: `Applied ${metadataMigrations.length} pending migration(s) first.\n`,
      });
      expect(await admin('migrate')).toMatchObject({
        code: 0,
        stdout: 'Nothing to migrate: the metadata schema is up to date.\n',
      });
    });

    it('creates, lists and revokes serving read tokens, hashed, apart from ingest keys', async () => {
      const created = await admin('token', 'create', '--label', 'grafana');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^trr_[a-z2-7]{12}_[A-Za-z0-9_-]{43}\n$/);
      const token = created.stdout.trim();
      const tokenId = token.split('_')[1] as string;
      expect((await admin('token', 'list')).stdout).toMatch(
        new RegExp(`${tokenId} +grafana +.* active\n$`),
      );
      const dataSource = await createMetadataDataSource({ url: database.url }).initialize();
      try {
        const [row] = (await dataSource.query('SELECT hash FROM read_tokens WHERE token_id = $1', [
          tokenId,
        ])) as Array<{ hash: string }>;
        expect(row?.hash).toMatch(/^\$scrypt\$/);
        expect(row?.hash).not.toContain(token.split('_').slice(2).join('_'));
        const fresh = () => new ReadTokens(dataSource, { cacheTtlMs: 0 });
        await expect(fresh().authenticate(token)).resolves.toBe(tokenId);
        await expect(fresh().authenticate(`${token.slice(0, -1)}x`)).resolves.toBeUndefined();
        await expect(fresh().authenticate(token.replace('trr_', 'trb_'))).resolves.toBeUndefined();
        expect((await admin('token', 'revoke', tokenId)).code).toBe(0);
        await expect(fresh().authenticate(token)).resolves.toBeUndefined();
        expect(await admin('token', 'revoke', tokenId)).toMatchObject({
          code: AdminExitCode.FAILED,
          stderr: `error: no active read token ${tokenId}\n`,
        });
      } finally {
        await dataSource.destroy();
      }
    });

    it('creates and lists sources', async () => {
      const created = await admin('source', 'create', 'checkout-web');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^Created source checkout-web \([0-9a-f-]{36}\)\.\n$/);
      expect((await admin('source', 'list')).stdout).toMatch(/^NAME +ID +CREATED\ncheckout-web +/);
      expect(await admin('source', 'create', 'checkout-web')).toEqual({
        code: AdminExitCode.FAILED,
        stdout: '',
        stderr: 'error: Source "checkout-web" already exists\n',
      });
    });

    it('prints a new key alone on stdout, once, with the warning on stderr', async () => {
      const { code, stdout, stderr } = await admin(
        'key',
        'create',
        'checkout-web',
        '--label',
        'ci',
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(/^trb_[a-z2-7]{12}_[A-Za-z0-9_-]{43}\n$/);
      expect(stderr).toMatch(
        /^Created API key [a-z2-7]{12} for source checkout-web \(label: ci\):\n/,
      );
      expect(stderr).toMatch(/cannot be retrieved later/);

      const dataSource = await createMetadataDataSource({ url: database.url }).initialize();
      try {
        expect(await new ApiKeys(dataSource).authenticate(stdout.trim())).toMatchObject({
          sourceName: 'checkout-web',
        });
      } finally {
        await dataSource.destroy();
      }
    });

    it('lists, rotates and revokes keys without ever printing a secret again', async () => {
      const key = (await admin('key', 'create', 'checkout-web')).stdout.trim();
      const keyId = key.split('_')[1];

      const rotated = await admin('key', 'rotate', keyId);
      expect(rotated.code).toBe(0);
      expect(rotated.stderr).toContain(`The old key ${keyId} keeps working until you revoke it`);

      const revoked = await admin('key', 'revoke', keyId);
      expect(revoked.stdout).toMatch(
        new RegExp(`^Revoked API key ${keyId} of source checkout-web at \\d{4}-`),
      );

      const listed = await admin('key', 'list', 'checkout-web');
      expect(listed.stdout).toMatch(/^KEY ID +LABEL +CREATED +LAST USED +STATUS\n/);
      expect(listed.stdout).toMatch(new RegExp(`${keyId} .* revoked \\d{4}-`));
      expect(listed.stdout.split('\n').filter((l) => l.endsWith('active'))).toHaveLength(2);
      expect(listed.stdout).not.toContain(key.split('_').slice(2).join('_'));

      expect(await admin('key', 'revoke', 'zzzzzzzzzzzz')).toMatchObject({
        code: 1,
        stderr: 'error: Unknown API key id "zzzzzzzzzzzz"\n',
      });
    });

    it('registers schemas, and refuses an incompatible one with every reason and exit 1', async () => {
      const v1 = {
        type: 'object',
        properties: { amount: { type: 'number' } },
        required: ['amount'],
      };
      const v2 = { ...v1, properties: { ...v1.properties, note: { type: 'string' } } };
      const bad = {
        type: 'object',
        properties: { amount: { type: 'integer' }, note: { type: 'string' } },
      };

      expect(
        await admin(
          'schema',
          'register',
          'order.placed',
          schemaFile('v1.json', v1),
          '--description',
          'Placed',
        ),
      ).toMatchObject({ code: 0, stdout: 'Registered order.placed version 1.\n' });
      expect(
        await admin('schema', 'register', 'order.placed', schemaFile('v2.json', v2)),
      ).toMatchObject({
        code: 0,
        stdout: 'Registered order.placed version 2.\n',
      });
      expect(
        await admin('schema', 'register', 'order.placed', schemaFile('bad.json', bad)),
      ).toEqual({
        code: AdminExitCode.FAILED,
        stdout: '',
        stderr: [
          'error: Schema for order.placed is not backward compatible with version 2 (2 reasons):',
          '  - /required: "amount" is no longer required; consumers rely on it',
          '  - /properties/amount/type: type narrowed from number to integer: number no longer accepted',
          '',
        ].join('\n'),
      });

      const listed = await admin('schema', 'list');
      expect(listed.stdout).toMatch(/^TYPE +VERSION +CREATED +DESCRIPTION\n/);
      expect(
        listed.stdout
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(/ +/).slice(0, 2)),
      ).toEqual([
        ['order.placed', '1'],
        ['order.placed', '2'],
      ]);
      expect(listed.stdout).toMatch(/order\.placed +1 +\S+ +Placed/);
      expect((await admin('schema', 'list', 'cart.updated')).stdout).toBe(
        'No schemas registered for cart.updated.\n',
      );
    });
  });
});
