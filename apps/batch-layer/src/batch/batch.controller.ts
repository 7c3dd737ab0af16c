import { Body, Controller, Headers, HttpCode, HttpException, Inject, Post } from '@nestjs/common';
import { BatchLayerWorker } from './batch-layer-worker';
import { OnDemandError, type OnDemandRun } from './on-demand';

const MODES = ['incremental', 'full'] as const;

/** `POST /v1/batch/runs {"view": "all" | "<view>", "mode"?: "incremental" | "full"}` (read token). */
@Controller('v1/batch')
export class BatchController {
  constructor(@Inject(BatchLayerWorker) private readonly worker: BatchLayerWorker) {}

  @Post('runs')
  @HttpCode(200)
  async run(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: { view?: unknown; mode?: unknown } | undefined,
  ): Promise<{ runs: OnDemandRun[] }> {
    const view = body?.view ?? 'all';
    const mode = body?.mode ?? 'incremental';
    if (typeof view !== 'string') throw new HttpException({ error: 'view must be a string' }, 400);
    if (!MODES.includes(mode as (typeof MODES)[number])) {
      throw new HttpException({ error: `mode must be one of ${MODES.join(', ')}` }, 400);
    }
    try {
      const runs = await this.worker.runNow({
        view,
        mode: mode as (typeof MODES)[number],
        token: authorization?.replace(/^Bearer\s+/i, ''),
      });
      return { runs };
    } catch (error) {
      if (error instanceof OnDemandError) {
        throw new HttpException({ error: error.message }, error.status);
      }
      throw error;
    }
  }
}
