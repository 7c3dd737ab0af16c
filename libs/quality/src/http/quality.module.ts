import { Controller, type DynamicModule, Get, Header, Inject, Module } from '@nestjs/common';
import { loadDataDocs } from '../docs/load-data-docs';
import { renderDataDocs } from '../docs/render-data-docs';
import type { QualityStore } from '../store/quality-store';
import type { Suite } from '../suite/suite';

export const QUALITY_STORE = Symbol('QUALITY_STORE');
export const QUALITY_SUITES = Symbol('QUALITY_SUITES');

/** The report links nowhere and runs no script: only its own inline style may load. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** `GET /quality`: the data docs rendered from the store on each request. */
@Controller('quality')
export class QualityController {
  constructor(
    @Inject(QUALITY_STORE) private readonly store: QualityStore,
    @Inject(QUALITY_SUITES) private readonly suites: readonly Suite[],
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', REPORT_CSP)
  @Header('cache-control', 'no-store')
  async report(): Promise<string> {
    return renderDataDocs(await loadDataDocs(this.store, { suites: this.suites }));
  }
}

/**
 * Serves the data-quality report under `/quality` in a service that imports it, e.g.
 * `QualityModule.register({ store: new QualityStore(dataSource), suites: loadSuites(dir) })`.
 */
@Module({})
export class QualityModule {
  static register(options: { store: QualityStore; suites?: readonly Suite[] }): DynamicModule {
    return {
      module: QualityModule,
      controllers: [QualityController],
      providers: [
        { provide: QUALITY_STORE, useValue: options.store },
        { provide: QUALITY_SUITES, useValue: options.suites ?? [] },
      ],
    };
  }
}
