import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SERVICE_INFO, type ServiceInfo } from '../service-info';
import { Readiness, type ReadinessAnswer } from './readiness';

export interface LivenessAnswer {
  status: 'ok';
  service: string;
  version: string;
  uptime_s: number;
}

/**
 * Liveness says only that the process serves requests: orchestrators restart a service that stops
 * answering it, so it must not depend on anything outside. Readiness (200 or 503) says whether the
 * dependencies answer, and turns 503 as soon as shutdown begins.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  @Get('live')
  live(): LivenessAnswer {
    return {
      status: 'ok',
      service: this.service.name,
      version: this.service.version,
      uptime_s: Math.round(process.uptime()),
    };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessAnswer> {
    const answer = await this.readiness.evaluate();
    response.status(answer.status === 'ok' ? 200 : 503);
    return answer;
  }
}
