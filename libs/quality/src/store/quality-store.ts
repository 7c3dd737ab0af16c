import { DqResultEntity, DqRunEntity } from '@tributary/metadata';
import type { DataSource } from 'typeorm';
import type { ExpectationType, Severity } from '../suite/suite';
import type { ExpectationResult, ExpectationStatus, JsonValue, SuiteResult } from '../run/results';

/** A run as stored: what `runSuite` returned plus where and why it ran. */
export interface StoredRun extends SuiteResult {
  readonly id: string;
  readonly checkpoint: string;
  readonly snapshotId: string | null;
}

/** A run without its per-expectation results, for history lists. */
export type RunSummary = Omit<StoredRun, 'results'> & {
  readonly expectations: number;
  readonly failed: number;
};

export interface SaveRunInput {
  readonly checkpoint: string;
  readonly snapshotId?: string | number | bigint | null;
  readonly result: SuiteResult;
}

/**
 * Data-quality results in the metadata store (Postgres, tables `dq_runs` and `dq_results` of
 * libs/metadata's migrations). A run and its results are written in one transaction.
 */
export class QualityStore {
  constructor(private readonly dataSource: DataSource) {}

  async saveRun(input: SaveRunInput): Promise<StoredRun> {
    const { result } = input;
    const snapshotId = input.snapshotId == null ? null : String(input.snapshotId);
    const id = await this.dataSource.transaction(async (manager) => {
      const run = await manager.getRepository(DqRunEntity).save(
        manager.getRepository(DqRunEntity).create({
          suite: result.suite,
          checkpoint: input.checkpoint,
          tableName: result.table,
          snapshotId,
          passed: result.passed,
          successRate: result.successRate,
          expectations: result.results.length,
          failed: result.results.filter((r) => r.status !== 'passed').length,
          startedAt: result.startedAt,
          finishedAt: result.finishedAt,
        }),
      );
      await manager.getRepository(DqResultEntity).insert(
        result.results.map((r, position) => ({
          runId: run.id,
          position,
          expectation: r.name,
          type: r.type,
          severity: r.severity,
          status: r.status,
          mostly: r.mostly,
          // jsonb columns: TypeORM stores JSON.stringify(value); a JSON null becomes SQL NULL.
          observed: r.observed,
          evaluatedRows: r.evaluatedRows,
          failingRows: r.failingRows,
          samples: [...r.samples],
          details: { ...r.details },
          message: r.message,
          durationMs: r.durationMs,
        })),
      );
      return run.id;
    });
    return { ...result, id, checkpoint: input.checkpoint, snapshotId };
  }

  /** One run with its results, or undefined. */
  async run(id: string): Promise<StoredRun | undefined> {
    const run = await this.dataSource.getRepository(DqRunEntity).findOne({
      where: { id },
      relations: { results: true },
      order: { results: { position: 'ASC' } },
    });
    return run ? toStoredRun(run) : undefined;
  }

  /** Newest first, optionally of one suite. */
  async history(options: { suite?: string; limit?: number } = {}): Promise<RunSummary[]> {
    const runs = await this.dataSource.getRepository(DqRunEntity).find({
      where: options.suite === undefined ? {} : { suite: options.suite },
      order: { startedAt: 'DESC', id: 'ASC' },
      take: options.limit ?? 50,
    });
    return runs.map(toSummary);
  }

  /** The newest run of each (suite, checkpoint), with its results, ordered by suite and checkpoint. */
  async latestRuns(): Promise<StoredRun[]> {
    const ids: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (suite, checkpoint) id FROM dq_runs
       ORDER BY suite, checkpoint, started_at DESC, id`,
    );
    const runs = await Promise.all(ids.map((row) => this.run(row.id)));
    return runs.filter((run): run is StoredRun => run !== undefined);
  }
}

function runFields(run: DqRunEntity): Omit<StoredRun, 'results'> {
  return {
    id: run.id,
    suite: run.suite,
    checkpoint: run.checkpoint,
    table: run.tableName,
    snapshotId: run.snapshotId,
    passed: run.passed,
    successRate: run.successRate,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

function toSummary(run: DqRunEntity): RunSummary {
  return { ...runFields(run), expectations: run.expectations, failed: run.failed };
}

function toStoredRun(run: DqRunEntity): StoredRun {
  const results = [...(run.results ?? [])].sort((a, b) => a.position - b.position);
  return { ...runFields(run), results: results.map(toResult) };
}

function toResult(row: DqResultEntity): ExpectationResult {
  return {
    name: row.expectation,
    type: row.type as ExpectationType,
    severity: row.severity as Severity,
    status: row.status as ExpectationStatus,
    mostly: row.mostly,
    observed: (row.observed ?? null) as JsonValue,
    evaluatedRows: row.evaluatedRows,
    failingRows: row.failingRows,
    samples: row.samples as Record<string, JsonValue>[],
    details: row.details as Record<string, JsonValue>,
    message: row.message,
    durationMs: row.durationMs,
  };
}
