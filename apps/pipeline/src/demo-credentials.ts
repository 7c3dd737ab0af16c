import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ApiKeys, ReadTokens, SchemaRegistry, Sources } from '@tributary/registry';
import { DEMO_EVENT_SCHEMAS } from '@tributary/views';
import type { DataSource } from 'typeorm';

export const DEMO_SOURCE = 'demo';
/** Sources the demo traffic (`npm run demo`) comes from, each with its own key. */
export const DEMO_TRAFFIC_SOURCES = ['web', 'ios', 'backend'] as const;

/** What a newcomer needs to send events and query: created on first start, shown on every start. */
export interface DemoCredentials {
  source: string;
  apiKey: string;
  readToken: string;
  /** API keys of the demo traffic's sources. */
  sourceKeys: Record<string, string>;
  createdAt: string;
}

/**
 * The demo source with an API key, a read token and the demo event types' schemas. Keys are
 * stored hashed like any other; the plaintext copies live only in the data folder's
 * credentials file (mode 600), so later starts can show them again. Delete the file to get new
 * ones (the old ones stay valid until revoked with `npm run admin`).
 */
export async function ensureDemoCredentials(
  db: DataSource,
  file: string,
): Promise<{ credentials: DemoCredentials; created: boolean }> {
  const stored = readCredentials(file);
  if (stored) return { credentials: stored, created: false };

  const schemas = new SchemaRegistry(db);
  for (const [type, schema] of Object.entries(DEMO_EVENT_SCHEMAS)) {
    await schemas.register(type, schema, { description: schema.description });
  }
  const sources = new Sources(db);
  const keys = new ApiKeys(db);
  const keyOf = async (source: string): Promise<string> => {
    if (!(await sources.get(source))) await sources.create(source);
    return (await keys.create(source, 'demo key (npm start)')).key;
  };
  const sourceKeys: Record<string, string> = {};
  for (const source of DEMO_TRAFFIC_SOURCES) sourceKeys[source] = await keyOf(source);
  const credentials: DemoCredentials = {
    source: DEMO_SOURCE,
    apiKey: await keyOf(DEMO_SOURCE),
    readToken: (await new ReadTokens(db).create('demo read token (npm start)')).token,
    sourceKeys,
    createdAt: new Date().toISOString(),
  };
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return { credentials, created: true };
}

export function readCredentials(file: string): DemoCredentials | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoCredentials>;
  if (
    typeof parsed.apiKey !== 'string' ||
    typeof parsed.readToken !== 'string' ||
    typeof parsed.sourceKeys !== 'object'
  ) {
    throw new Error(
      `${file} is not a credentials file of \`npm start\`; delete it to get new ones`,
    );
  }
  return parsed as DemoCredentials;
}
