import { Controller, Get, Inject } from '@nestjs/common';
import { SERVICE_INFO, type ServiceInfo } from '../service-info';

export interface LivenessAnswer {
  status: 'ok';
  service: string;
  version: string;
  uptime_s: number;
}

/**
 * Liveness says only that the process serves requests: orchestrators restart a service that stops
 * answering it. Readiness (each dependency answers) belongs to the platform work that adds config.
 */
@Controller('health')
export class HealthController {
  constructor(@Inject(SERVICE_INFO) private readonly service: ServiceInfo) {}

  @Get('live')
  live(): LivenessAnswer {
    return {
      status: 'ok',
      service: this.service.name,
      version: this.service.version,
      uptime_s: Math.round(process.uptime()),
    };
  }
}
