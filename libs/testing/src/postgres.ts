import { Client } from 'pg';
import { localServices } from './local-services';
import { uniqueName } from './names';

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database for one test file on the local Postgres, so files run in parallel and
 * migrations always start from nothing. `drop()` removes it (and ends connections left open).
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = localServices().postgresUrl;
  const name = uniqueName(`t_${label}`, '_').slice(0, 63);
  await withAdmin(adminUrl, async (admin) => {
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdmin(adminUrl, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
