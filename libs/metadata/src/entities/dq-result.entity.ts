import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DqRunEntity } from './dq-run.entity';

/** int8 as a number: row counts stay far below 2^53. */
const bigintAsNumber = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One expectation's outcome within a data-quality run. */
@Entity({ name: 'dq_results' })
export class DqResultEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  /** Order of the expectation in its suite. */
  @PrimaryColumn({ type: 'integer' })
  position!: number;

  @ManyToOne(() => DqRunEntity, (run) => run.results, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'dq_results_run_fk' })
  run?: DqRunEntity;

  @Column({ type: 'text' })
  expectation!: string;

  @Column({ type: 'text' })
  type!: string;

  /** `error` | `warn` */
  @Column({ type: 'text' })
  severity!: string;

  /** `passed` | `failed` | `error` */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'double precision' })
  mostly!: number;

  @Column({ type: 'jsonb', nullable: true })
  observed!: string | number | boolean | object | null;

  @Column({ name: 'evaluated_rows', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  evaluatedRows!: number | null;

  @Column({ name: 'failing_rows', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  failingRows!: number | null;

  @Column({ type: 'jsonb' })
  samples!: object[];

  @Column({ type: 'jsonb' })
  details!: object;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;
}
