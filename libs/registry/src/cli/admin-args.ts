import { parseArgs } from 'node:util';

/** One admin command, parsed and checked, ready to run. */
export type AdminCommand =
  | { name: 'help' }
  | { name: 'migrate' }
  | { name: 'source create'; source: string }
  | { name: 'source list' }
  | { name: 'key create'; source: string; label?: string }
  | { name: 'key list'; source: string }
  | { name: 'key revoke'; keyId: string }
  | { name: 'key rotate'; keyId: string }
  | { name: 'schema register'; type: string; file: string; description?: string }
  | { name: 'schema list'; type?: string }
  | { name: 'token create'; label?: string }
  | { name: 'token list' }
  | { name: 'token revoke'; tokenId: string };

/** A command line that does not parse: exit status 2, with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const ADMIN_USAGE = `Usage: node apps/ingest-api/dist/admin.js <command>

Commands:
  source create <name>                  add a source (an upstream app that sends events)
  source list                           list the sources
  key create <source> [--label <text>]  create an API key; it is printed once, never again
  key list <source>                     list a source's keys (never their secrets)
  key revoke <keyId>                    revoke a key (running services notice within 30 s)
  key rotate <keyId>                    create a new key for the same source; the old key
                                        keeps working until you revoke it
  schema register <type> <file.json> [--description <text>]
                                        register the next version of an event type's
                                        JSON Schema (draft 2020-12); refused, with every
                                        reason, unless backward compatible
  schema list [type]                    list the registered schema versions
  token create [--label <text>]         create a serving-API read token; printed once, never again
  token list                            list read tokens (never their secrets)
  token revoke <tokenId>                revoke a read token (the serving API notices within 30 s)
  migrate                               apply pending metadata migrations

Every command applies pending migrations first. The database is TRIBUTARY_POSTGRES_URL.
Exit status: 0 done, 1 refused or failed, 2 usage error.`;

/** Which positional arguments and options each command takes; the rest is a usage error. */
const COMMANDS = {
  migrate: { required: [], optional: [], options: [] },
  'source create': { required: ['name'], optional: [], options: [] },
  'source list': { required: [], optional: [], options: [] },
  'key create': { required: ['source'], optional: [], options: ['label'] },
  'key list': { required: ['source'], optional: [], options: [] },
  'key revoke': { required: ['keyId'], optional: [], options: [] },
  'key rotate': { required: ['keyId'], optional: [], options: [] },
  'schema register': { required: ['type', 'file.json'], optional: [], options: ['description'] },
  'schema list': { required: [], optional: ['type'], options: [] },
  'token create': { required: [], optional: [], options: ['label'] },
  'token list': { required: [], optional: [], options: [] },
  'token revoke': { required: ['tokenId'], optional: [], options: [] },
} as const satisfies Record<
  string,
  { required: readonly string[]; optional: readonly string[]; options: readonly string[] }
>;

type CommandName = keyof typeof COMMANDS;

export function parseAdminArgs(argv: readonly string[]): AdminCommand {
  const { values, positionals } = parseStrict(argv);
  if (values.help || positionals.length === 0 || positionals[0] === 'help') return { name: 'help' };

  const words = positionals[0] === 'migrate' ? 1 : 2;
  const name = positionals.slice(0, words).join(' ');
  if (!isCommand(name)) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  const spec = COMMANDS[name];
  const args = positionals.slice(words);
  const maximum = spec.required.length + spec.optional.length;
  if (args.length < spec.required.length || args.length > maximum) {
    const expected = [...spec.required.map((a) => `<${a}>`), ...spec.optional.map((a) => `[${a}]`)];
    throw new UsageError(`"${name}" takes ${expected.join(' ') || 'no arguments'}`);
  }
  const allowed: readonly string[] = spec.options;
  for (const option of ['label', 'description'] as const) {
    if (values[option] !== undefined && !allowed.includes(option)) {
      throw new UsageError(`"${name}" does not take --${option}`);
    }
  }
  return build(name, args, values);
}

function build(
  name: CommandName,
  args: string[],
  values: { label?: string; description?: string },
): AdminCommand {
  switch (name) {
    case 'migrate':
    case 'source list':
      return { name };
    case 'source create':
      return { name, source: args[0] };
    case 'key create':
      return { name, source: args[0], label: values.label };
    case 'key list':
      return { name, source: args[0] };
    case 'key revoke':
    case 'key rotate':
      return { name, keyId: args[0] };
    case 'schema register':
      return { name, type: args[0], file: args[1], description: values.description };
    case 'schema list':
      return { name, type: args[0] };
    case 'token create':
      return { name, label: values.label };
    case 'token list':
      return { name };
    case 'token revoke':
      return { name, tokenId: args[0] };
  }
}

function parseStrict(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        label: { type: 'string' },
        description: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // node:util reports unknown options and missing option values as TypeErrors.
    throw new UsageError((error as Error).message);
  }
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
