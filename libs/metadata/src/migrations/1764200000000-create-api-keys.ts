import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-source API keys. Only a scrypt hash of the secret is stored, as a self-describing PHC string
 * (`$scrypt$ln=14,r=8,p=1$<salt>$<hash>`), so the cost parameters can change for new keys while old
 * ones still verify. `key_id` is the public half of the key, used to find the row.
 */
export class CreateApiKeys1764200000000 implements MigrationInterface {
  name = 'CreateApiKeys1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_id uuid NOT NULL,
        key_id text NOT NULL,
        hash text NOT NULL,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT api_keys_source_fk FOREIGN KEY (source_id) REFERENCES sources (id),
        CONSTRAINT api_keys_key_id_key UNIQUE (key_id),
        CONSTRAINT api_keys_key_id_format CHECK (key_id ~ '^[a-z2-7]{12}$'),
        CONSTRAINT api_keys_hash_format CHECK (hash LIKE '$scrypt$%')
      )`);
    await runner.query('CREATE INDEX api_keys_source_id_idx ON api_keys (source_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE api_keys');
  }
}
