import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Metrics } from './metrics';

/** Prometheus scrape endpoint (text exposition format 0.0.4). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
