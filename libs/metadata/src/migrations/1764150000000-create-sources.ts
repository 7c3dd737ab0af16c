import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSources1764150000000 implements MigrationInterface {
  name = 'CreateSources1764150000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sources_name_key UNIQUE (name),
        CONSTRAINT sources_name_format CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$')
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE sources');
  }
}
