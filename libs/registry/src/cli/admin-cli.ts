import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createMetadataDataSource, migrateMetadata } from '@tributary/metadata';
import { ApiKeys } from '../keys/api-keys';
import { ReadTokens } from '../keys/read-tokens';
import { SchemaRegistry } from '../schemas/schema-registry';
import { Sources } from '../sources/sources';
import { ADMIN_USAGE, type AdminCommand, parseAdminArgs, UsageError } from './admin-args';
import { type AdminOutput, runAdminCommand } from './admin-commands';

export enum AdminExitCode {
  OK = 0,
  /** Refused (a RegistryError, with its reasons) or failed (no database, unreadable file). */
  FAILED = 1,
  USAGE = 2,
}

export interface AdminCliContext {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /**
   * The metadata database, asked only once the command line parsed, so `--help` and usage errors
   * need no configuration. May throw (a ConfigError): its message is printed.
   */
  postgresUrl: () => string | undefined;
  /** Where relative schema file paths start: the working directory by default. */
  cwd?: string;
}

/**
 * The admin CLI without the process around it: argv in, text out, an exit code back. Connects,
 * applies pending migrations (idempotent, under a lock), runs the command, disconnects.
 */
export async function runAdminCli(
  argv: readonly string[],
  context: AdminCliContext,
): Promise<AdminExitCode> {
  const output: AdminOutput = {
    out: (text) => context.stdout.write(`${text}\n`),
    note: (text) => context.stderr.write(`${text}\n`),
  };
  let command: AdminCommand;
  try {
    command = parseAdminArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.note(`error: ${error.message}\n\n${ADMIN_USAGE}`);
    return AdminExitCode.USAGE;
  }
  if (command.name === 'help') {
    output.out(ADMIN_USAGE);
    return AdminExitCode.OK;
  }
  try {
    // Read the schema file before connecting: a typo in a path should not wait for a database.
    const schema =
      command.name === 'schema register'
        ? await readSchemaFile(resolve(context.cwd ?? process.cwd(), command.file))
        : undefined;
    const url = context.postgresUrl();
    if (!url) {
      output.note(
        'error: TRIBUTARY_POSTGRES_URL is not set; the admin CLI works on the metadata database (e.g. postgres://user:password@host:5432/tributary)',
      );
      return AdminExitCode.FAILED;
    }
    const dataSource = await createMetadataDataSource({ url, poolSize: 2 }).initialize();
    try {
      const applied = await migrateMetadata(dataSource);
      if (applied.length > 0 && command.name !== 'migrate') {
        output.note(`Applied ${applied.length} pending migration(s) first.`);
      }
      const services = {
        sources: new Sources(dataSource),
        keys: new ApiKeys(dataSource),
        schemas: new SchemaRegistry(dataSource),
        tokens: new ReadTokens(dataSource),
        applied,
        schema,
      };
      await runAdminCommand(command, services, output);
      return AdminExitCode.OK;
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    // A RegistryError's message already lists its reasons, one per line.
    output.note(`error: ${error instanceof Error ? error.message : String(error)}`);
    return AdminExitCode.FAILED;
  }
}

async function readSchemaFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
