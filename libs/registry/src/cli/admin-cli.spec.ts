import { join } from 'node:path';
import { AdminExitCode, runAdminCli } from './admin-cli';
import { captureIo } from './spec-io';

describe(runAdminCli.name, () => {
  const noDatabase = () => {
    throw new Error('the database must not be asked for');
  };

  describe('without a database', () => {
    it('prints the usage on stdout for --help and exits 0', async () => {
      const io = captureIo(noDatabase);
      expect(await runAdminCli(['--help'], io.context)).toBe(AdminExitCode.OK);
      expect(io.stdout()).toMatch(/^Usage: node apps\/ingest-api\/dist\/admin\.js <command>/);
    });

    it('exits 2 with the problem and the usage on stderr for a bad command line', async () => {
      const io = captureIo(noDatabase);
      expect(await runAdminCli(['key', 'create'], io.context)).toBe(AdminExitCode.USAGE);
      expect(io.stderr()).toMatch(/^error: "key create" takes <source>\n\nUsage: /);
      expect(io.stdout()).toBe('');
    });

    it('exits 1 naming TRIBUTARY_POSTGRES_URL when it is not set', async () => {
      const io = captureIo(() => undefined);
      expect(await runAdminCli(['source', 'list'], io.context)).toBe(AdminExitCode.FAILED);
      expect(io.stderr()).toMatch(/^error: TRIBUTARY_POSTGRES_URL is not set; /);
    });

    it('exits 1 with the configuration error when the configuration is invalid', async () => {
      const io = captureIo(() => {
        throw new Error(
          'Invalid configuration (1 problem):\nTRIBUTARY_POSTGRES_URL=*** is invalid',
        );
      });
      expect(await runAdminCli(['migrate'], io.context)).toBe(AdminExitCode.FAILED);
      expect(io.stderr()).toBe(
        'error: Invalid configuration (1 problem):\nTRIBUTARY_POSTGRES_URL=*** is invalid\n',
      );
    });

    it('exits 1 for a schema file that is missing or not JSON, before connecting', async () => {
      const missing = captureIo(noDatabase);
      const args = ['schema', 'register', 'order.placed'];
      expect(await runAdminCli([...args, '/nonexistent/s.json'], missing.context)).toBe(1);
      expect(missing.stderr()).toBe('error: cannot read /nonexistent/s.json: ENOENT\n');

      const notJson = captureIo(noDatabase);
      expect(await runAdminCli([...args, join(__dirname, 'admin-cli.ts')], notJson.context)).toBe(
        1,
      );
      expect(notJson.stderr()).toMatch(/admin-cli\.ts is not valid JSON: /);
    });
  });
});
