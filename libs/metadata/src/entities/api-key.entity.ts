import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { SourceEntity } from './source.entity';

/** One API key of a source. The secret itself is never stored, only its scrypt hash. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId!: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id', foreignKeyConstraintName: 'api_keys_source_fk' })
  source?: SourceEntity;

  /** Public half of the key (`trb_<keyId>_<secret>`): finds the row without revealing anything. */
  @Column({ name: 'key_id', type: 'text', unique: true })
  keyId!: string;

  /** PHC string `$scrypt$ln=…,r=…,p=…$<salt>$<hash>`: carries its own parameters. */
  @Column({ type: 'text' })
  hash!: string;

  @Column({ type: 'text', nullable: true })
  label!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** Updated at most once a minute per key, so authentication does not write on every request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
