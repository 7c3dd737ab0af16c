import type { Migration } from 'typeorm';
import type { ApiKeys, CreatedApiKey } from '../keys/api-keys';
import type { ReadTokens } from '../keys/read-tokens';
import type { SchemaRegistry } from '../schemas/schema-registry';
import type { Sources } from '../sources/sources';
import type { AdminCommand } from './admin-args';
import { formatTable, formatTime } from './format-table';

export interface AdminServices {
  sources: Sources;
  keys: ApiKeys;
  schemas: SchemaRegistry;
  tokens: ReadTokens;
  /** What the automatic migration before the command applied. */
  applied: readonly Migration[];
  /** The parsed JSON of `schema register`'s file, read before connecting. */
  schema?: unknown;
}

export interface AdminOutput {
  /** Results: what a script would capture (`KEY=$(admin key create web)`). */
  out(text: string): void;
  /** Notes and warnings for the person at the terminal. */
  note(text: string): void;
}

/** Runs one command against the registry services and prints its result. */
export async function runAdminCommand(
  command: Exclude<AdminCommand, { name: 'help' }>,
  services: AdminServices,
  output: AdminOutput,
): Promise<void> {
  const { sources, keys, schemas } = services;
  switch (command.name) {
    case 'migrate': {
      const names = services.applied.map((m) => m.name);
      output.out(
        names.length === 0
          ? 'Nothing to migrate: the metadata schema is up to date.'
          : names.map((name) => `Applied ${name}`).join('\n'),
      );
      return;
    }
    case 'source create': {
      const source = await sources.create(command.source);
      output.out(`Created source ${source.name} (${source.id}).`);
      return;
    }
    case 'source list': {
      const rows = (await sources.list()).map((s) => [s.name, s.id, formatTime(s.createdAt)]);
      output.out(rows.length ? formatTable(['name', 'id', 'created'], rows) : 'No sources yet.');
      return;
    }
    case 'key create':
      printNewKey(await keys.create(command.source, command.label), output);
      return;
    case 'key rotate': {
      printNewKey(await keys.rotate(command.keyId), output);
      output.note(
        `The old key ${command.keyId} keeps working until you revoke it: key revoke ${command.keyId}`,
      );
      return;
    }
    case 'key list': {
      const rows = (await keys.list(command.source)).map((k) => [
        k.keyId,
        k.label ?? '-',
        formatTime(k.createdAt),
        formatTime(k.lastUsedAt),
        k.revokedAt ? `revoked ${formatTime(k.revokedAt)}` : 'active',
      ]);
      output.out(
        rows.length
          ? formatTable(['key id', 'label', 'created', 'last used', 'status'], rows)
          : `Source ${command.source} has no API keys.`,
      );
      return;
    }
    case 'key revoke': {
      const key = await keys.revoke(command.keyId);
      output.out(
        `Revoked API key ${key.keyId} of source ${key.sourceName} at ${formatTime(key.revokedAt)}.`,
      );
      output.note('Running services refuse it within 30 s (they cache authentications that long).');
      return;
    }
    case 'token create': {
      const created = await services.tokens.create(command.label);
      output.out(created.token);
      output.note(
        `Created read token ${created.tokenId}. This is the only time the token is shown: store it now.`,
      );
      return;
    }
    case 'token list': {
      const rows = (await services.tokens.list()).map((t) => [
        t.tokenId,
        t.label ?? '-',
        formatTime(t.createdAt),
        formatTime(t.lastUsedAt),
        t.revokedAt ? `revoked ${formatTime(t.revokedAt)}` : 'active',
      ]);
      output.out(
        rows.length
          ? formatTable(['token id', 'label', 'created', 'last used', 'status'], rows)
          : 'No read tokens yet.',
      );
      return;
    }
    case 'token revoke': {
      if (!(await services.tokens.revoke(command.tokenId))) {
        throw new Error(`no active read token ${command.tokenId}`);
      }
      output.out(`Revoked read token ${command.tokenId}.`);
      output.note('The serving API refuses it within 30 s (it caches verifications that long).');
      return;
    }
    case 'schema register': {
      const options = { description: command.description };
      const version = await schemas.register(command.type, services.schema, options);
      output.out(`Registered ${command.type} version ${version}.`);
      return;
    }
    case 'schema list': {
      const rows = (await schemas.list(command.type)).map((v) => [
        v.type,
        String(v.version),
        formatTime(v.createdAt),
        v.description ?? '',
      ]);
      const none = command.type ? `No schemas registered for ${command.type}.` : 'No schemas yet.';
      output.out(
        rows.length ? formatTable(['type', 'version', 'created', 'description'], rows) : none,
      );
      return;
    }
  }
}

function printNewKey(created: CreatedApiKey, output: AdminOutput): void {
  const label = created.label ? ` (label: ${created.label})` : '';
  output.note(`Created API key ${created.keyId} for source ${created.sourceName}${label}:`);
  output.out(created.key);
  output.note('Store it now: this is the only time it is shown, and it cannot be retrieved later.');
}
