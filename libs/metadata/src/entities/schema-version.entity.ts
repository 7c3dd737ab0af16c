import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { EventTypeEntity } from './event-type.entity';

/** Version `version` (1, 2, …) of an event type's JSON Schema. Rows are append-only. */
@Entity({ name: 'schema_versions' })
export class SchemaVersionEntity {
  /** bigint identity; pg returns int8 as a string so that no precision is lost. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'event_type_id', type: 'uuid' })
  eventTypeId!: string;

  @ManyToOne(() => EventTypeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_type_id', foreignKeyConstraintName: 'schema_versions_event_type_fk' })
  eventType?: EventTypeEntity;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'json_schema', type: 'jsonb' })
  jsonSchema!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
