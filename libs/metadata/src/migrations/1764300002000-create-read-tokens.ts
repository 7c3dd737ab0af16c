import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read tokens of the serving API, separate from ingest keys: a token `trr_<tokenId>_<secret>` is
 * stored as its public id and a scrypt hash of the secret only (PHC string, like api_keys).
 */
export class CreateReadTokens1764300002000 implements MigrationInterface {
  name = 'CreateReadTokens1764300002000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE read_tokens (
        token_id text PRIMARY KEY,
        hash text NOT NULL,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT read_tokens_token_id_format CHECK (token_id ~ '^[a-z2-7]{12}$'),
        CONSTRAINT read_tokens_hash_format CHECK (hash LIKE '$scrypt$%')
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE read_tokens');
  }
}
