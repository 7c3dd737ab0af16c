// A throw-away Postgres database for one benchmark run, on the local services' Postgres
// (`npm run services -- up`) or on TRIBUTARY_POSTGRES_URL when set.
import pg from 'pg';

/** Creates database `<label>_<stamp>`; `drop()` removes it (and ends connections left open). */
export async function benchDatabase(label) {
  const adminUrl =
    process.env.TRIBUTARY_POSTGRES_URL ??
    `postgres://tributary:tributary@127.0.0.1:${process.env.TRIBUTARY_PG_PORT ?? 55432}/tributary`;
  const name = `${label}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
