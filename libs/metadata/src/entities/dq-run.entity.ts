import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { DqResultEntity } from './dq-result.entity';

/** One checkpoint run of a data-quality suite against a table (libs/quality). Written once. */
@Entity({ name: 'dq_runs' })
export class DqRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  suite!: string;

  /** Why it ran, e.g. `publish:revenue_by_currency` or `realtime-hourly`. */
  @Column({ type: 'text' })
  checkpoint!: string;

  /** The label of the checked table (a name, or the label of a trusted expression). */
  @Column({ name: 'table_name', type: 'text' })
  tableName!: string;

  /** The table's snapshot (e.g. an Iceberg snapshot id) when the caller knew it. */
  @Column({ name: 'snapshot_id', type: 'text', nullable: true })
  snapshotId!: string | null;

  /** false iff an error-severity expectation did not pass. */
  @Column({ type: 'boolean' })
  passed!: boolean;

  @Column({ name: 'success_rate', type: 'double precision' })
  successRate!: number;

  @Column({ type: 'integer' })
  expectations!: number;

  @Column({ type: 'integer' })
  failed!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  @OneToMany(() => DqResultEntity, (result) => result.run, { cascade: ['insert'] })
  results?: DqResultEntity[];
}
