import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The schema registry: event types and their numbered JSON Schemas.
 *
 * `schema_versions` is append-only (a trigger refuses UPDATE and DELETE), so a compiled validator
 * for (type, version) never goes stale. What can change is which version is the latest. Processes
 * notice that through `registry_revision`: one row whose counter a trigger bumps in the same
 * transaction as every insert. Readers poll it (one tiny row, cheap). Unlike `max(id)` of a
 * sequence, the counter cannot be overtaken: the row lock makes bumps commit in counter order, so a
 * reader that saw revision n has also seen every version committed before it. LISTEN/NOTIFY would be
 * faster but loses notifications while a connection is down; polling has nothing to lose.
 */
export class CreateSchemaRegistry1764200001000 implements MigrationInterface {
  name = 'CreateSchemaRegistry1764200001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE event_types (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_types_name_key UNIQUE (name),
        CONSTRAINT event_types_name_format CHECK (
          char_length(name) <= 128 AND name ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$'
        )
      )`);
    await runner.query(`
      CREATE TABLE schema_versions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_type_id uuid NOT NULL,
        version integer NOT NULL,
        json_schema jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT schema_versions_event_type_fk FOREIGN KEY (event_type_id) REFERENCES event_types (id),
        CONSTRAINT schema_versions_type_version_key UNIQUE (event_type_id, version),
        CONSTRAINT schema_versions_version_positive CHECK (version >= 1)
      )`);
    await runner.query(`
      CREATE FUNCTION schema_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'schema_versions is append-only: register a new version instead'
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await runner.query(`
      CREATE TRIGGER schema_versions_append_only BEFORE UPDATE OR DELETE ON schema_versions
        FOR EACH ROW EXECUTE FUNCTION schema_versions_append_only()`);
    await runner.query(`
      CREATE TABLE registry_revision (
        singleton boolean PRIMARY KEY DEFAULT true,
        revision bigint NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT registry_revision_singleton CHECK (singleton)
      )`);
    await runner.query('INSERT INTO registry_revision (revision) VALUES (0)');
    await runner.query(`
      CREATE FUNCTION bump_registry_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE registry_revision SET revision = revision + 1, changed_at = now();
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE TRIGGER schema_versions_bump_revision AFTER INSERT ON schema_versions
        FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_revision()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE registry_revision');
    await runner.query('DROP TABLE schema_versions');
    await runner.query('DROP FUNCTION bump_registry_revision()');
    await runner.query('DROP FUNCTION schema_versions_append_only()');
    await runner.query('DROP TABLE event_types');
  }
}
